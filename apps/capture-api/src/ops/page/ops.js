// The operations page: Preact with htm templates and uPlot charts, as ES modules served from the
// installed packages (no build step, no CDN). Every piece of data comes from the API. The operator's
// key is sent once, to open a session (an HttpOnly cookie this script cannot read), and then
// forgotten: it is never stored in the browser. Changes carry the session's CSRF token.
import { h, render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import uPlot from 'uplot';

const html = htm.bind(h);
// Auto-refresh of the attention list, while not paused.
const REFRESH_SECONDS = 15;
const FLAG_REASONS = ['contradicted', 'amount_above_requested', 'currency_differs', 'amount_differs'];
const IN_DOUBT = ['unknown', 'pending'];
const OUTCOMES = ['succeeded', 'pending', 'declined', 'error', 'timeout'];
// Colours with at least 3:1 contrast on white, told apart by dash too.
const OUTCOME_STYLE = {
  succeeded: { stroke: '#1a7f37' },
  pending: { stroke: '#6f42c1', dash: [6, 3] },
  declined: { stroke: '#9a6700', dash: [2, 2] },
  error: { stroke: '#cf222e' },
  timeout: { stroke: '#0550ae', dash: [8, 4] },
};
const REASONS = {
  unknown: 'Unknown outcome',
  pending_too_long: 'Pending too long',
  contradicted: 'Contradicted by a report',
  amount_above_requested: 'Reported above the request',
  currency_differs: 'Reported in another currency',
  amount_differs: 'Reported another amount',
};

class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The session's CSRF token, in memory only (read back from GET /v1/ops/session after a reload), and
// what to do when the session has ended (expired, signed out, key rotated): show the sign-in.
const session = { csrfToken: null, onEnded: () => {} };

async function api(method, path, body, authorization) {
  const headers = { accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    cache: 'no-store',
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    if (response.status === 401 && !authorization) session.onEnded();
    throw new ApiFailure(response.status, error.code || `http_${response.status}`, error.message || response.statusText);
  }
  return data;
}

// The screens, each with its own URL: #/attention, #/search, #/health and #/captures/<id>.
function parseHash(hash) {
  const path = hash.replace(/^#/, '');
  const capture = /^\/captures\/([^/]+)$/.exec(path);
  if (capture) return { screen: 'capture', id: decodeURIComponent(capture[1]) };
  if (path === '/search' || path === '/health') return { screen: path.slice(1) };
  return { screen: 'attention' };
}

function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

const captureHref = (id) => `#/captures/${encodeURIComponent(id)}`;

// Exact: the integer minor units are split as text, never divided as a float.
function formatMoney(money) {
  if (!money) return '—';
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    digits = 0;
  }
  const negative = money.amount < 0;
  const text = String(Math.abs(money.amount)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole} ${money.currency}`;
}

function formatAge(seconds) {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const formatRate = (rate) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);
const formatMs = (ms) => (ms === null ? '—' : `${ms} ms`);
const formatTime = (iso) => new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC', hour12: false }) + ' UTC';

/**
 * A form's submit handler: `action` runs once at a time; a failure shows as the form's error (through
 * `describe`) and lets the operator try again. On success the form is left busy: its screen changes.
 */
function useSubmit(action, describe = (failure) => failure.message) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describe(failure));
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function SignIn({ onSignIn, ended }) {
  const [key, setKey] = useState('');
  const { error, busy, submit } = useSubmit(
    async () => {
      // The key opens a session and is then dropped: from here on the cookie carries the session.
      const opened = await api('POST', '/v1/ops/session', undefined, `Bearer ${key.trim()}`);
      setKey('');
      onSignIn(opened);
    },
    (failure) =>
      failure.code === 'insufficient_scope'
        ? 'This key lacks the ops:read scope.'
        : failure.code === 'unauthenticated'
          ? 'This key is not valid.'
          : failure.message,
  );
  return html`
    <main class="signin">
      <h1>Capture Gateway operations</h1>
      <form onSubmit=${submit}>
        <label for="api-key">Operator API key</label>
        <input id="api-key" type="password" autocomplete="off" required value=${key} onInput=${(e) => setKey(e.currentTarget.value)} />
        <p class="hint">
          A key with the ops:read, captures:read and captures:resolve scopes. It opens a 15-minute session, renewed while you work, and is
          not kept.
        </p>
        ${ended && html`<p class="notice" role="status">Your session has ended; sign in again.</p>`}
        ${error && html`<p class="error" role="alert">${error}</p>`}
        <button type="submit" disabled=${busy}>Sign in</button>
      </form>
    </main>
  `;
}

function CaptureLink({ id }) {
  return html`<a class="link" href=${captureHref(id)} aria-label=${`Open capture ${id}`}>${id}</a>`;
}

/** A wide table scrolls inside its own box on a narrow screen, never the page; focusable to scroll by keyboard. */
function Scroll({ label, children }) {
  return html`<div class="table-scroll" role="region" aria-label=${label} tabindex="0">${children}</div>`;
}

function AttentionList({ refreshToken }) {
  const [state, setState] = useState({ items: null, nextCursor: null, error: null, updatedAt: null });
  const [paused, setPaused] = useState(false);
  const load = useCallback(async (cursor) => {
    try {
      const page = await api('GET', `/v1/ops/attention?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      setState((previous) => ({
        items: cursor ? [...(previous.items || []), ...page.data] : page.data,
        nextCursor: page.nextCursor,
        error: null,
        updatedAt: cursor ? previous.updatedAt : new Date(),
      }));
    } catch (failure) {
      setState((previous) => ({ ...previous, error: failure.message }));
    }
  }, []);
  useEffect(() => void load(undefined), [load, refreshToken]);
  useEffect(() => {
    if (paused) return undefined;
    const timer = setInterval(() => void load(undefined), REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [load, paused]);
  const { items, nextCursor, error, updatedAt } = state;
  const updated = updatedAt ? updatedAt.toLocaleTimeString('en-GB', { timeZone: 'UTC', hour12: false }) + ' UTC' : '…';
  return html`
    <section aria-labelledby="attention-heading">
      <div class="section-head">
        <h2 id="attention-heading">Needs attention</h2>
        <button type="button" onClick=${() => load(undefined)}>Refresh</button>
        <button type="button" id="auto-refresh" aria-pressed=${paused ? 'true' : 'false'} onClick=${() => setPaused(!paused)}>
          ${paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}
        </button>
      </div>
      <p class="muted" id="refresh-state">
        ${paused ? 'Auto-refresh paused' : `Auto-refresh every ${REFRESH_SECONDS} s`}; updated ${updated}
      </p>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${
        items === null
          ? html`<p>Loading…</p>`
          : items.length === 0
            ? html`<p id="attention-empty">Nothing needs attention.</p>`
            : html`
                <${Scroll} label="Captures that need an operator">
                <table id="attention-table">
                  <caption class="visually-hidden">
                    Captures that need an operator, oldest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Capture</th>
                      <th scope="col">Account</th>
                      <th scope="col">Status</th>
                      <th scope="col">Why</th>
                      <th scope="col">Age</th>
                      <th scope="col">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${items.map(
                      (item) => html`
                        <tr key=${item.id} data-capture=${item.id}>
                          <td><${CaptureLink} id=${item.id} /></td>
                          <td>${item.account}</td>
                          <td><span class=${`status status-${item.status}`}>${item.status}</span></td>
                          <td>${REASONS[item.reason] || item.reason}${item.errorCode ? html` <code>${item.errorCode}</code>` : ''}</td>
                          <td title=${formatTime(item.since)}>${formatAge(item.ageSeconds)}</td>
                          <td class="number">${formatMoney(item.requestedAmount)}</td>
                        </tr>
                      `,
                    )}
                  </tbody>
                </table>
                </${Scroll}>
                ${nextCursor && html`<button type="button" onClick=${() => load(nextCursor)}>Show more</button>`}
              `
      }
    </section>
  `;
}

function Search() {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    const term = query.trim();
    if (!term) return;
    setResult({ loading: true });
    try {
      const found = new Map();
      // A capture id is read directly; anything else is tried as an authorisation id and as a provider reference.
      if (/^cap_[0-9A-Za-z]{8,64}$/.test(term)) {
        const capture = await api('GET', `/v1/captures/${encodeURIComponent(term)}`);
        found.set(capture.id, capture);
      } else {
        for (const filter of ['authorisationId', 'providerCaptureId']) {
          const page = await api('GET', `/v1/captures?limit=20&${filter}=${encodeURIComponent(term)}`);
          for (const capture of page.data) found.set(capture.id, capture);
        }
      }
      setResult({ captures: [...found.values()] });
    } catch (failure) {
      setResult({ captures: [], error: failure.code === 'not_found' ? null : failure.message });
    }
  };
  return html`
    <section aria-labelledby="search-heading">
      <h2 id="search-heading">Find a capture</h2>
      <form class="search" role="search" onSubmit=${submit}>
        <label for="search-term">Capture id, authorisation id or provider reference</label>
        <div class="row">
          <input id="search-term" type="search" value=${query} onInput=${(e) => setQuery(e.currentTarget.value)} />
          <button type="submit">Search</button>
        </div>
      </form>
      ${result && result.loading && html`<p>Searching…</p>`}
      ${result && result.error && html`<p class="error" role="alert">${result.error}</p>`}
      ${
        result &&
        result.captures &&
        (result.captures.length === 0
          ? html`<p role="status">No capture found.</p>`
          : html`
              <ul id="search-results" class="results">
                ${result.captures.map(
                  (capture) => html`
                    <li key=${capture.id}>
                      <${CaptureLink} id=${capture.id} />
                      <span class=${`status status-${capture.status}`}>${capture.status}</span>
                      <span>${capture.account}</span>
                      <span>${capture.authorisationId}</span>
                    </li>
                  `,
                )}
              </ul>
            `)
      }
    </section>
  `;
}

function Chart({ label, options, data }) {
  const target = useRef(null);
  useEffect(() => {
    // As wide as its box allows, so a 390-px screen never scrolls sideways.
    const width = Math.max(200, Math.min(640, target.current.clientWidth || 560));
    // Times in UTC, as everywhere on the page, whatever the browser's zone.
    const tzDate = (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
    const plot = new uPlot({ width, height: 200, tzDate, ...options }, data, target.current);
    return () => plot.destroy();
  }, [options, data]);
  return html`<figure class="chart">
    <figcaption>${label}</figcaption>
    <div ref=${target} role="img" aria-label=${label}></div>
  </figure>`;
}

function HealthCharts({ account }) {
  // An empty window draws no chart: uPlot would show only axes and "--" legends.
  if (account.total === 0) return html`<p class="empty-chart">No data in this window.</p>`;
  const x = account.series.map((point) => Date.parse(point.start) / 1000);
  const answers = [x, ...OUTCOMES.map((k) => account.series.map((point) => point.counts[k]))];
  const latency = [x, ...['p50', 'p95', 'p99'].map((p) => account.series.map((point) => point.latencyMs[p]))];
  const axes = (unit) => [
    { stroke: '#1f2328', label: 'UTC' },
    { stroke: '#1f2328', label: unit },
  ];
  const answerOptions = {
    axes: axes('answers'),
    series: [{}, ...OUTCOMES.map((k) => ({ label: k, width: 2, ...OUTCOME_STYLE[k] }))],
  };
  const latencyOptions = {
    axes: axes('ms'),
    series: [
      {},
      { label: 'p50', stroke: '#1a7f37', width: 2 },
      { label: 'p95', stroke: '#9a6700', width: 2, dash: [6, 3] },
      { label: 'p99', stroke: '#cf222e', width: 2, dash: [2, 2] },
    ],
  };
  return html`
    <div class="charts">
      <${Chart} label=${`Answers per interval, ${account.account}`} options=${answerOptions} data=${answers} />
      <${Chart} label=${`Provider latency percentiles, ${account.account}`} options=${latencyOptions} data=${latency} />
    </div>
  `;
}

function Health() {
  const [report, setReport] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('GET', '/v1/ops/health?window=1h')
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch((failure) => setError(failure.message));
  }, []);
  return html`
    <section aria-labelledby="health-heading" id="health">
      <h2 id="health-heading">Provider health, last hour</h2>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${
        report === null
          ? html`<p>Loading…</p>`
          : report.accounts.map(
              (account) => html`
                <article class="account" key=${account.account} aria-labelledby=${`health-${account.account}`}>
                  <h3 id=${`health-${account.account}`}>${account.account} <span class="muted">(${account.provider})</span></h3>
                  <${Scroll} label=${`Answers on ${account.account}`}>
                  <table class="health">
                    <caption class="visually-hidden">
                      First provider answers on ${account.account}, ${report.from} to ${report.to}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Answers</th>
                        ${OUTCOMES.map((k) => html`<th scope="col">${k}</th>`)}
                        <th scope="col">p50</th>
                        <th scope="col">p95</th>
                        <th scope="col">p99</th>
                      </tr>
                    </thead>
                    <tbody>
                      <tr>
                        <td class="number">${account.total}</td>
                        ${OUTCOMES.map((k) => html`<td class="number">${account.counts[k]} (${formatRate(account.rates[k])})</td>`)}
                        <td class="number">${formatMs(account.latencyMs.p50)}</td>
                        <td class="number">${formatMs(account.latencyMs.p95)}</td>
                        <td class="number">${formatMs(account.latencyMs.p99)}</td>
                      </tr>
                    </tbody>
                  </table>
                  </${Scroll}>
                  <${HealthCharts} account=${account} />
                </article>
              `,
            )
      }
    </section>
  `;
}

const CHOICES = {
  succeeded: 'It captured the payment (succeeded)',
  failed: 'It did not capture it (failed)',
};

// No default choice: an irreversible money decision is made on purpose, then confirmed with the
// amount and the choice repeated.
function ResolveForm({ capture, onDone }) {
  const [status, setStatus] = useState(null);
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef(null);
  useEffect(() => confirming && confirmRef.current && confirmRef.current.focus(), [confirming]);
  const { error, busy, submit } = useSubmit(async () => {
    const body = { status, reason: reason.trim(), ...(reference.trim() ? { providerReference: reference.trim() } : {}) };
    const resolved = await api('POST', `/v1/captures/${encodeURIComponent(capture.id)}/resolve`, body);
    onDone(`Capture ${resolved.id} resolved as ${resolved.status}.`);
  });
  // The form's own checks (a choice, a reason) pass first; then the confirmation step.
  const review = (event) => {
    event.preventDefault();
    setConfirming(true);
  };
  if (confirming) {
    return html`
      <form class="resolve confirm" onSubmit=${submit} aria-labelledby="confirm-heading">
        <h3 id="confirm-heading" tabindex="-1" ref=${confirmRef}>Confirm the resolution</h3>
        <p id="confirm-text">
          ${`Record capture ${capture.id} of `}<strong>${formatMoney(capture.requestedAmount)}</strong>${' as '}<strong>${status}</strong>${`: ${CHOICES[status]}. This cannot be undone.`}
        </p>
        ${error && html`<p class="error" role="alert">${error}</p>`}
        <button type="submit" disabled=${busy}>Confirm: resolve as ${status}</button>
        <button type="button" class="secondary" disabled=${busy} onClick=${() => setConfirming(false)}>Go back</button>
      </form>
    `;
  }
  return html`
    <form class="resolve" onSubmit=${review} aria-labelledby="resolve-heading">
      <h3 id="resolve-heading">Resolve</h3>
      <fieldset>
        <legend>What did the provider do?</legend>
        ${Object.entries(CHOICES).map(
          ([value, label]) => html`
            <label class="choice">
              <input type="radio" name="status" value=${value} required checked=${status === value} onChange=${() => setStatus(value)} />
              ${label}
            </label>
          `,
        )}
      </fieldset>
      <label for="resolve-reason">Reason (the evidence: a provider report, a ticket)</label>
      <textarea
        id="resolve-reason"
        required
        minlength="3"
        maxlength="500"
        rows="3"
        value=${reason}
        onInput=${(e) => setReason(e.currentTarget.value)}
      ></textarea>
      <label for="resolve-reference">Provider capture reference (optional)</label>
      <input id="resolve-reference" type="text" maxlength="128" value=${reference} onInput=${(e) => setReference(e.currentTarget.value)} />
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>Resolve capture</button>
    </form>
  `;
}

// A flagged capture (a report contradicted it): the operator says what was done; the flag closes.
function AcknowledgeForm({ capture, flag, onDone }) {
  const [note, setNote] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    await api('POST', `/v1/captures/${encodeURIComponent(capture.id)}/acknowledge`, { note: note.trim() });
    onDone(`Capture ${capture.id}: flag acknowledged.`);
  });
  return html`
    <form class="resolve" onSubmit=${submit} aria-labelledby="acknowledge-heading">
      <h3 id="acknowledge-heading">Acknowledge the flag</h3>
      <p>${REASONS[flag] || flag}. The status (${capture.status}) stays; the capture leaves the attention list.</p>
      <label for="acknowledge-note">What was done (a refund, a ticket, the provider confirmed)</label>
      <textarea
        id="acknowledge-note"
        required
        minlength="3"
        maxlength="500"
        rows="3"
        value=${note}
        onInput=${(e) => setNote(e.currentTarget.value)}
      ></textarea>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>Acknowledge</button>
    </form>
  `;
}

/** The capture's open flag, if any: a flag with no acknowledgement after it. */
function openFlag(history) {
  let flag = null;
  for (const entry of history) {
    if (entry.kind === 'flag') flag = entry.reason;
    if (entry.kind === 'acknowledge') flag = null;
  }
  return flag;
}

function describeEntry(entry) {
  const who = [entry.source, entry.actor].filter(Boolean).join(': ');
  if (entry.kind === 'status') {
    const what = `${entry.from ? `${entry.from} → ` : ''}${entry.to}`;
    return { what, who, detail: entry.reason || '' };
  }
  if (entry.kind === 'check') {
    return {
      what: `check #${entry.attempt}: ${entry.answer}${entry.status ? ` (${entry.status})` : ''}`,
      who: 'reconciler',
      detail: entry.message || '',
    };
  }
  if (entry.kind === 'flag') return { what: `flagged: ${REASONS[entry.reason] || entry.reason}`, who, detail: entry.message || '' };
  if (entry.kind === 'acknowledge') return { what: `flag acknowledged (${entry.flag})`, who, detail: entry.note || '' };
  if (entry.kind === 'resend') return { what: `re-sent #${entry.attempt}: ${entry.answerStatus}`, who, detail: '' };
  return { what: `webhook asked for ${entry.requestedStatus}`, who: 'webhook (refused)', detail: entry.eventId };
}

function Metadata({ metadata }) {
  const entries = metadata ? Object.entries(metadata) : [];
  if (entries.length === 0) return '—';
  return html`<ul class="metadata">
    ${entries.map(([key, value]) => html`<li key=${key}><code>${key}</code>: ${String(value)}</li>`)}
  </ul>`;
}

function CaptureDetail({ id, onDone }) {
  const [capture, setCapture] = useState(null);
  const [history, setHistory] = useState(null);
  const [error, setError] = useState(null);
  const heading = useRef(null);
  useEffect(() => {
    Promise.all([api('GET', `/v1/captures/${encodeURIComponent(id)}`), api('GET', `/v1/captures/${encodeURIComponent(id)}/history`)])
      .then(([c, h]) => {
        setCapture(c);
        setHistory(h.data);
      })
      .catch((failure) => setError(failure.message));
  }, [id]);
  useEffect(() => heading.current && heading.current.focus(), [capture]);
  const card = capture && capture.card ? `${capture.card.brand || 'card'} ending ${capture.card.last4}` : '—';
  return html`
    <section aria-labelledby="capture-heading" class="detail">
      <a class="back" href="#/attention">Back to the list</a>
      <h2 id="capture-heading" tabindex="-1" ref=${heading}>Capture ${id}</h2>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${
        capture &&
        html`
          <dl class="fields">
            <dt>Status</dt>
            <dd><span class=${`status status-${capture.status}`}>${capture.status}</span></dd>
            <dt>Account</dt>
            <dd>${capture.account} (${capture.provider})</dd>
            <dt>Description</dt>
            <dd id="capture-description">${capture.description || '—'}</dd>
            <dt>Metadata</dt>
            <dd id="capture-metadata"><${Metadata} metadata=${capture.metadata} /></dd>
            <dt>Authorisation</dt>
            <dd>${capture.authorisationId}</dd>
            <dt>Requested</dt>
            <dd>${formatMoney(capture.requestedAmount)}</dd>
            <dt>Captured</dt>
            <dd>${formatMoney(capture.capturedAmount)}</dd>
            <dt>Provider reference</dt>
            <dd>${capture.providerReferences.captureId || '—'}</dd>
            <dt>Card</dt>
            <dd>${card}</dd>
            <dt>Error</dt>
            <dd>${capture.error ? html`<code>${capture.error.code}</code> ${capture.error.message}` : '—'}</dd>
            <dt>Created</dt>
            <dd>${formatTime(capture.createdAt)}</dd>
            <dt>Last changed</dt>
            <dd>${formatTime(capture.updatedAt)}</dd>
          </dl>
        `
      }
      ${
        history &&
        html`
          <h3 id="history-heading">Audit trail</h3>
          <${Scroll} label="Audit trail">
          <table id="history-table" aria-labelledby="history-heading">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Reason or detail</th>
              </tr>
            </thead>
            <tbody>
              ${history.map((entry, i) => {
                const { what, who, detail } = describeEntry(entry);
                return html`<tr key=${i}>
                  <td>${formatTime(entry.at)}</td>
                  <td>${what}</td>
                  <td>${who}</td>
                  <td>${detail}</td>
                </tr>`;
              })}
            </tbody>
          </table>
          </${Scroll}>
        `
      }
      ${capture && IN_DOUBT.includes(capture.status) && html`<${ResolveForm} capture=${capture} onDone=${onDone} />`}
      ${capture && history && openFlag(history) && html`<${AcknowledgeForm} capture=${capture} flag=${openFlag(history)} onDone=${onDone} />`}
    </section>
  `;
}

function App() {
  // null: not known yet (asking GET /v1/ops/session); false: signed out; else the session.
  const [current, setCurrent] = useState(null);
  const [ended, setEnded] = useState(false);
  const [notice, setNotice] = useState(null);
  const [refreshToken, setRefreshToken] = useState(0);
  const route = useRoute();
  const noticeRef = useRef(null);
  useEffect(() => {
    session.onEnded = () => {
      session.csrfToken = null;
      setEnded(true);
      setCurrent(false);
    };
    api('GET', '/v1/ops/session')
      .then((s) => {
        session.csrfToken = s.csrfToken;
        setCurrent(s);
      })
      .catch(() => setCurrent(false));
  }, []);
  useEffect(() => {
    if (notice && noticeRef.current) noticeRef.current.focus();
  }, [notice]);
  if (current === null) return html`<main><p>Loading…</p></main>`;
  if (current === false) {
    return html`<${SignIn}
      ended=${ended}
      onSignIn=${(s) => {
        session.csrfToken = s.csrfToken;
        setEnded(false);
        setCurrent(s);
      }}
    />`;
  }
  const signOut = async () => {
    await api('DELETE', '/v1/ops/session').catch(() => undefined);
    session.csrfToken = null;
    setNotice(null);
    setCurrent(false);
  };
  const done = (message) => {
    setNotice(message);
    setRefreshToken((n) => n + 1);
    location.hash = '#/attention';
  };
  const tab = (screen, label) =>
    html`<a href=${`#/${screen}`} aria-current=${route.screen === screen ? 'page' : undefined} onClick=${() => setNotice(null)}
      >${label}</a
    >`;
  return html`
    <header class="top">
      <h1 class="brand">Capture Gateway operations</h1>
      <span class="muted operator">${current.client}/${current.keyId}</span>
      <button type="button" onClick=${signOut}>Sign out</button>
    </header>
    <nav class="tabs" aria-label="Screens">
      ${tab('attention', 'Needs attention')} ${tab('search', 'Find a capture')} ${tab('health', 'Provider health')}
    </nav>
    <main>
      ${notice && route.screen === 'attention' && html`<p class="notice" role="status" tabindex="-1" ref=${noticeRef}>${notice}</p>`}
      ${route.screen === 'capture' && html`<${CaptureDetail} key=${route.id} id=${route.id} onDone=${done} />`}
      ${route.screen === 'attention' && html`<${AttentionList} refreshToken=${refreshToken} />`}
      ${route.screen === 'search' && html`<${Search} />`} ${route.screen === 'health' && html`<${Health} />`}
    </main>
  `;
}

render(html`<${App} />`, document.getElementById('app'));
