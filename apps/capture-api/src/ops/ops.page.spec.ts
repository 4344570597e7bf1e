import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../testing/chromium';
import { callApp, MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

// The workspace's tmp/ (git-ignored): one PNG per screen, to look at after a run.
const SCREENSHOTS = join(__dirname, '../../../../tmp/ops-page');
const OPERATOR_KEY = 'operator_key_0123456789abcdef';
const AXE = require.resolve('axe-core');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's WCAG A/AA and best-practice rules on the page as it is now; the violations, summarised. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // Expressions as strings: they run in the page, and this project's TypeScript has no DOM types.
  const { violations, passes } = await page.evaluate<{ violations: AxeViolation[]; passes: number }>(
    'axe.run().then((result) => ({ violations: result.violations, passes: result.passes.length }))',
  );
  // axe ran its rules on this page (labels, contrast, landmarks, …), not on an empty document.
  expect(passes).toBeGreaterThan(10);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A property of the element that has the keyboard focus. */
const focused = (page: Page, property: 'id' | 'value' | 'textContent') =>
  page.evaluate<string | undefined>(`document.activeElement ? document.activeElement.${property} : undefined`);

/** The id of the focused element once focus reached `id` (the page moves it in an effect after rendering), or whatever holds it after 5 s. */
async function focusSettlesOn(page: Page, id: string): Promise<string | undefined> {
  await page.waitForFunction(`document.activeElement?.id === ${JSON.stringify(id)}`, undefined, { timeout: 5_000 }).catch(() => undefined);
  return focused(page, 'id');
}

/** Whether the page scrolls sideways (its content wider than the viewport). */
const overflowsSideways = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');

describe('the /ops page in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  // Short, so that no run of 13 or more digits (the length of a card number) is ours.
  const stamp = Date.now() % 1_000_000_000;
  const stuckAuthorisation = `unknown-page-${stamp}`;
  const flaggedAuthorisation = `pending-flag-${stamp}`;
  let stuckId: string;
  let flaggedId: string;
  const settings = { apiKey: MEMORY_API_KEY, webhookSecret: MEMORY_WEBHOOK_SECRET };
  const webhook = (event: object) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/mem-us',
      headers: { 'content-type': 'application/json', 'x-memory-signature': MEMORY_WEBHOOK_SECRET },
      payload: JSON.stringify(event),
    });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp({
      accounts: [
        { id: 'mem-us', plugin: 'memory', settings },
        { id: 'mem-eu', plugin: 'memory', settings },
        // No traffic: its charts say so.
        { id: 'mem-idle', plugin: 'memory', settings },
      ],
      clients: [
        { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us', 'mem-eu'] },
        {
          id: 'ops',
          keys: [{ id: 'on-call', key: OPERATOR_KEY, scopes: ['ops:read', 'captures:read', 'captures:resolve'] }],
          accounts: '*',
        },
      ],
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = await t.app.getUrl();
    // Some traffic for the health charts, and one capture whose provider timed out: it needs an operator.
    const prefixes = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'decline', 'pending', 'unknown'];
    for (const [i, prefix] of prefixes.entries()) {
      const account = i % 2 === 0 ? 'mem-us' : 'mem-eu';
      await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
        account,
        authorisationId: `${prefix}-${stamp}-${i}`,
        amount: { amount: 1250, currency: 'USD' },
      });
    }
    const stuck = await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId: stuckAuthorisation,
      amount: { amount: 4200, currency: 'EUR' },
      description: 'Order A-77 for Ada',
      metadata: { orderRef: 'A-77' },
    });
    stuckId = stuck.json().id;
    // A capture a report contradicts: succeeded, then a webhook says failed. It is flagged.
    const flagged = await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId: flaggedAuthorisation,
      amount: { amount: 990, currency: 'USD' },
    });
    flaggedId = flagged.json().id;
    expect((await webhook({ eventId: `evt-ok-${stamp}`, authorisationId: flaggedAuthorisation, status: 'succeeded' })).statusCode).toBe(
      200,
    );
    expect((await webhook({ eventId: `evt-no-${stamp}`, authorisationId: flaggedAuthorisation, status: 'failed' })).statusCode).toBe(200);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders under its Content-Security-Policy with no violation: the list, the charts and a capture', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    // The first GET /v1/ops/session is 401 by design: there is no session yet.
    page.on(
      'response',
      (response) =>
        response.status() >= 400 &&
        !response.url().endsWith('/v1/ops/session') &&
        consoleErrors.push(`${response.status()} ${response.url()}`),
    );
    await page.goto(`${origin}/ops`);
    await page.getByLabel('Operator API key').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#attention-table tbody a').first().click();
    await page.locator('#history-table tbody tr').first().waitFor();
    await page.goto(`${origin}/ops#/health`);
    await page.locator('#health .u-wrap canvas').nth(3).waitFor();
    // A blocked script, style or request is reported as a console error (the 401 of the first session check aside).
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  }, 60_000);

  it('a session instead of the key; screens with their own URLs; resolve with confirmation; acknowledge; usable at 390 px', async () => {
    // axe-core is injected as a script tag, which the page's CSP (scripts from this origin only)
    // would block: this context lets it in; the test above checks the page under its CSP.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const requested: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requested.push(request.url()));
    const screen = async (name: string) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      expect(await accessibilityViolations(page)).toEqual([]);
    };
    const narrow = async (name: string) => {
      // As a phone opens it: the screen's URL loaded at 390 px wide (charts are sized when drawn).
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await page.locator('main h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect([name, await overflowsSideways(page)]).toEqual([name, false]);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-390px.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    };

    // 1. Sign in, by keyboard only: Tab to the key field, type, Enter. The key opens a session.
    await page.goto(`${origin}/ops#/attention`);
    await page.locator('#api-key').waitFor();
    await screen('1-sign-in');
    await page.keyboard.press('Tab');
    expect(await focused(page, 'id')).toBe('api-key');
    await page.keyboard.type(OPERATOR_KEY);
    await page.keyboard.press('Enter');

    // The session is an HttpOnly, SameSite=Strict cookie; the key is stored nowhere in the browser.
    const row = page.locator(`#attention-table tr[data-capture="${stuckId}"]`);
    await row.waitFor();
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([['cg_ops_session', true, 'Strict', '/']]);
    expect(cookies[0]?.value).not.toContain(OPERATOR_KEY);
    const stored = await page.evaluate<string>(
      'JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage), document.cookie])',
    );
    expect(stored).not.toContain(OPERATOR_KEY);
    expect(stored).toBe('[[],[],""]');

    // 2. The attention list: the stuck and the flagged capture, auto-refresh on and pausable.
    expect(await row.innerText()).toMatch(/unknown[\s\S]*Unknown outcome[\s\S]*provider_timeout[\s\S]*\d+ s[\s\S]*42\.00 EUR/);
    expect(await page.locator(`#attention-table tr[data-capture="${flaggedId}"]`).innerText()).toMatch(/Contradicted by a report/);
    expect(await page.locator('#refresh-state').innerText()).toMatch(/Auto-refresh every 15 s; updated \d\d:\d\d:\d\d UTC/);
    await page.getByRole('button', { name: 'Pause auto-refresh' }).click();
    expect(await page.locator('#refresh-state').innerText()).toMatch(/Auto-refresh paused/);
    await page.getByRole('button', { name: 'Resume auto-refresh' }).click();
    // A capture stuck now shows up on its own, with no click.
    const later = await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-eu',
      authorisationId: `unknown-later-${stamp}`,
      amount: { amount: 100, currency: 'USD' },
    });
    await page.locator(`#attention-table tr[data-capture="${later.json().id}"]`).waitFor({ timeout: 20_000 });
    await screen('2-attention');
    await narrow('2-attention');

    // 3. Search, on its own URL.
    await page.getByRole('link', { name: 'Find a capture' }).click();
    expect(new URL(page.url()).hash).toBe('#/search');
    await page.getByLabel('Capture id, authorisation id or provider reference').fill(stuckAuthorisation);
    await page.getByRole('button', { name: 'Search' }).click();
    const result = page.locator('#search-results li', { hasText: stuckId });
    await result.waitFor();
    await screen('3-search');
    await narrow('3-search');

    // 4. Provider health, on its own URL: charts where there was traffic, a sentence where there was none.
    await page.getByRole('link', { name: 'Provider health' }).click();
    expect(new URL(page.url()).hash).toBe('#/health');
    await page.locator('#health .u-wrap canvas').nth(3).waitFor();
    expect(await page.locator('#health article').count()).toBe(3);
    expect(await page.locator('#health').innerText()).toMatch(/mem-us[\s\S]*succeeded/);
    expect(await page.locator('#health article', { hasText: 'mem-idle' }).innerText()).toMatch(/No data in this window/);
    expect(await page.locator('#health article', { hasText: 'mem-idle' }).locator('canvas').count()).toBe(0);
    await screen('4-health');
    await narrow('4-health');

    // 5. A capture by its URL: description and metadata shown; reload and back work.
    await page.goto(`${origin}/ops#/attention`);
    await row.getByRole('link', { name: `Open capture ${stuckId}` }).click();
    expect(new URL(page.url()).hash).toBe(`#/captures/${stuckId}`);
    await page.locator('#history-table tbody tr').first().waitFor();
    await page.reload();
    await page.locator('#history-table tbody tr').first().waitFor();
    expect(await page.locator('#capture-heading').innerText()).toBe(`Capture ${stuckId}`);
    expect(await page.locator('#capture-description').innerText()).toBe('Order A-77 for Ada');
    expect(await page.locator('#capture-metadata').innerText()).toMatch(/orderRef: A-77/);
    expect(await page.locator('#history-table').innerText()).toMatch(/unknown[\s\S]*api: shop/);
    await screen('5-capture-detail');
    await narrow('5-capture-detail');
    await page.goBack();
    await row.waitFor();
    await page.goForward();
    await page.locator('#capture-heading').waitFor();

    // 6. Resolve: no choice is made for the operator; a confirmation repeats the amount and the choice.
    expect(await page.locator('input[name="status"]:checked').count()).toBe(0);
    await page.getByLabel('Reason (the evidence: a provider report, a ticket)').fill('Absent from the provider settlement report of today');
    await page.getByRole('button', { name: 'Resolve capture' }).click();
    expect(await page.locator('#confirm-text').count()).toBe(0); // the browser asks for a choice first
    await page.getByLabel('It did not capture it (failed)').check();
    await page.getByRole('button', { name: 'Resolve capture' }).click();
    expect(await page.locator('#confirm-text').innerText()).toMatch(
      new RegExp(`${stuckId} of 42\\.00 EUR as failed: It did not capture it \\(failed\\)\\. This cannot be undone\\.`),
    );
    expect(await focusSettlesOn(page, 'confirm-heading')).toBe('confirm-heading');
    await screen('6-resolve-confirm');
    await page.getByRole('button', { name: 'Confirm: resolve as failed' }).click();
    const notice = page.locator('.notice');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`Capture ${stuckId} resolved as failed.`);
    await page.waitForFunction(`!document.querySelector('#attention-table tr[data-capture="${stuckId}"]')`);
    const history = (await callApp(t, 'GET', `/v1/captures/${stuckId}/history`, OPERATOR_KEY)).json().data;
    expect(history.at(-1)).toMatchObject({ kind: 'status', from: 'unknown', to: 'failed', source: 'operator', actor: 'ops/on-call' });

    // 7. Acknowledge the flagged capture, with a note; it is in the history with the operator.
    await page.goto(`${origin}/ops#/captures/${flaggedId}`);
    await page.locator('#acknowledge-heading').waitFor();
    expect(await page.locator('#history-table').innerText()).toMatch(/flagged: Contradicted by a report/);
    await page
      .getByLabel('What was done (a refund, a ticket, the provider confirmed)')
      .fill('Provider confirmed the capture; ticket OPS-12');
    await screen('7-acknowledge');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`Capture ${flaggedId}: flag acknowledged.`);
    await page.waitForFunction(`!document.querySelector('#attention-table tr[data-capture="${flaggedId}"]')`);
    const flaggedHistory = (await callApp(t, 'GET', `/v1/captures/${flaggedId}/history`, OPERATOR_KEY)).json().data;
    expect(flaggedHistory.at(-1)).toMatchObject({
      kind: 'acknowledge',
      actor: 'ops/on-call',
      note: 'Provider confirmed the capture; ticket OPS-12',
    });

    // 8. Sign out ends the session: the cookie is gone, and a reload shows the sign-in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#api-key').waitFor();
    expect(await context.cookies()).toEqual([]);
    await page.reload();
    await page.locator('#api-key').waitFor();

    // Nothing from another host, the key never in a URL, no secret on the page, no script error.
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url))).toEqual([]);
    expect(requested.filter((url) => url.includes(OPERATOR_KEY))).toEqual([]);
    const content = await page.content();
    for (const secret of [OPERATOR_KEY, SHOP_KEY, MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET]) expect(content).not.toContain(secret);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
