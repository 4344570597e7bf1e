import type { CaptureOutcomeInput } from '@capture-gateway/domain';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher, errors } from 'undici';
import { PLUGIN_CONTRACT_VERSION, type PluginLogger } from '../plugin.contract';
import { redact } from '../secrets';
import { withTraceContext } from './trace-context';
import { transportFailureOutcome } from './transport-failure';
import { type FormValue, formEncode } from './form-body';

export interface ProviderHttpOptions {
  /** Shown in messages: "PaymentOptions did not answer in time". */
  providerName: string;
  baseUrl: string;
  timeoutMs: number;
  /** Sent on every call; credentials go here. */
  headers?: Record<string, string>;
  /** Values that must never appear in an error or a log line: the account's credentials. */
  secrets: readonly string[];
  logger?: PluginLogger;
  /** The largest answer read, in bytes (default `MAX_PROVIDER_RESPONSE_BYTES`); past it the answer is cut off as invalid. */
  maxResponseBytes?: number;
}

/** 1 MiB: far more than any capture answer, far less than what could exhaust the service's memory. */
export const MAX_PROVIDER_RESPONSE_BYTES = 1024 * 1024;

export interface ProviderCallOptions {
  signal?: AbortSignal;
  requestId?: string;
  headers?: Record<string, string>;
  /** How a POST's body is written: JSON (the default), or a form (`formEncode`, nested keys in brackets). */
  bodyEncoding?: BodyEncoding;
}

/** `json`: `application/json`; `form`: `application/x-www-form-urlencoded` (the body an object of `FormValue`s). */
export type BodyEncoding = 'json' | 'form';

/** The provider answered: any status, with the body parsed as JSON where it is JSON. */
export interface ProviderAnswer {
  kind: 'answer';
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  /** The raw body, redacted of secrets and card numbers, for messages. */
  text: string;
}

/**
 * The provider gave no answer we can read (none at all, or one larger than `maxResponseBytes`);
 * `outcome` says whether money may have moved.
 */
export interface ProviderNoAnswer {
  kind: 'no-answer';
  outcome: CaptureOutcomeInput;
}

export interface ProviderHttp {
  post(path: string, body: unknown, options?: ProviderCallOptions): Promise<ProviderAnswer | ProviderNoAnswer>;
  /** A read, such as a status check: the same rules, no body. */
  get(path: string, options?: ProviderCallOptions): Promise<ProviderAnswer | ProviderNoAnswer>;
  /** Lets go of the kept-alive sockets (on shutdown). Idle sockets never hold the process open anyway. */
  close(): Promise<void>;
}

/**
 * The HTTP helper every plugin shares. One attempt per call (a capture is a POST: a blind retry
 * could capture twice), a timeout on every call, no thrown errors for provider answers, and
 * credentials redacted from everything it returns or logs. One socket pool per helper (per account),
 * called with `undici.request` directly: ky on a fetch-shaped transport built a `Request`, a URL, two
 * `Headers`, an `AbortController`, a `Response` and two body streams per call; this builds one header
 * object, one `AbortController` and one timer (cleared when the call ends).
 */
export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const { providerName, secrets, logger, timeoutMs } = options;
  const maxBytes = options.maxResponseBytes ?? MAX_PROVIDER_RESPONSE_BYTES;
  // pipelining 1: undici never pipelines a POST behind another request anyway, and a status check
  // queued behind a slow capture would spend its own timeout waiting.
  const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 4_000 });
  let closed = false;
  // Parsed once: the origin, and the base path the call's path is joined to (as ky's `prefix` did).
  const base = new URL(options.baseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/+$/, '');
  // fetch sent `user-agent: node`; undici.request sends none, and some gateways refuse a request
  // without one. A plugin's own header wins.
  const accountHeaders = lowerCased({ 'user-agent': `capture-gateway/${PLUGIN_CONTRACT_VERSION}` }, options.headers);

  const send = async (method: 'GET' | 'POST', path: string, body: unknown, call: ProviderCallOptions) => {
    const started = performance.now();
    const { payload, contentType } = bodyOf(body, call.bodyEncoding);
    const headers = lowerCased({ ...accountHeaders }, contentType ? { 'content-type': contentType } : undefined);
    lowerCased(headers, call.headers);
    if (call.requestId) headers['x-request-id'] = call.requestId;
    withTraceContext(headers);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`${providerName} did not answer in time`, 'TimeoutError')), timeoutMs);
    const forward = () => controller.abort(call.signal?.reason);
    call.signal?.addEventListener('abort', forward, { once: true });
    try {
      if (call.signal?.aborted) throw call.signal.reason;
      if (closed) throw new errors.ClientClosedError();
      const answer = await agent.request({
        origin,
        path: `${basePath}/${path.replace(/^\/+/, '')}`,
        method,
        headers,
        body: payload,
        signal: controller.signal,
      });
      const raw = await readCapped(answer.body, answer.headers['content-length'], maxBytes);
      const elapsedMs = Math.round(performance.now() - started);
      if (raw === undefined) {
        logger?.warn('provider answer too large', { provider: providerName, path, status: answer.statusCode, elapsedMs, maxBytes });
        return { kind: 'no-answer', outcome: tooLargeOutcome(providerName, answer.statusCode, maxBytes) } satisfies ProviderNoAnswer;
      }
      logger?.debug('provider call answered', {
        provider: providerName,
        path,
        status: answer.statusCode,
        elapsedMs,
        requestId: call.requestId,
      });
      const answerHeaders = answer.headers;
      return {
        kind: 'answer',
        status: answer.statusCode,
        // Built only when a plugin reads them: no plugin of ours does on the capture path.
        get headers() {
          return headersOf(answerHeaders);
        },
        body: parseJson(raw),
        // Redacted whole, then cut: a cut first could leave half a secret or card number that no longer matches.
        text: redact(raw, secrets).slice(0, 500),
      } satisfies ProviderAnswer;
    } catch (thrown) {
      // An abort rejects with undici's own error; the reason (timeout or the caller's) says why.
      const error = controller.signal.aborted ? controller.signal.reason : thrown;
      const outcome = transportFailureOutcome(error, providerName);
      const elapsedMs = Math.round(performance.now() - started);
      logger?.warn('provider call got no answer', {
        provider: providerName,
        path,
        elapsedMs,
        requestId: call.requestId,
        outcome: outcome.status,
        reason: redact(describe(error), secrets),
      });
      return { kind: 'no-answer', outcome } satisfies ProviderNoAnswer;
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', forward);
    }
  };
  return {
    post: (path, body, call = {}) => send('POST', path, body, call),
    get: (path, call = {}) => send('GET', path, undefined, call),
    // Waits for calls in flight, then closes the sockets; a call made after it is refused unsent (`UND_ERR_CLOSED`).
    close: () => {
      closed = true;
      return agent.close();
    },
  };
}

/** `from`'s headers copied into `into` with lower-case names, so a later one replaces an earlier one whatever its case. */
function lowerCased(into: Record<string, string>, from: Record<string, string> | undefined): Record<string, string> {
  if (from) for (const name in from) into[name.toLowerCase()] = from[name];
  return into;
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

function bodyOf(body: unknown, encoding: BodyEncoding = 'json'): { payload?: string; contentType?: string } {
  if (body === undefined) return {};
  if (encoding === 'json') return { payload: JSON.stringify(body), contentType: 'application/json' };
  return { payload: formEncode(body as Record<string, FormValue>), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * The body as text, or undefined once it is larger than `maxBytes`: a declared length over it is not
 * read at all, and an undeclared one stops being read there (the rest is never buffered). Whatever is
 * not read is dropped with its socket.
 */
async function readCapped(body: Dispatcher.ResponseData['body'], contentLength: unknown, maxBytes: number): Promise<string | undefined> {
  const declared = Number(contentLength);
  if (contentLength !== undefined && Number.isFinite(declared)) {
    if (declared > maxBytes) {
      drop(body);
      return undefined;
    }
    // HTTP/1.1 reads exactly the declared length, never more: read it whole, the cheaper way.
    return body.text();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      drop(body);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

// Destroying a body before its end makes undici emit an abort 'error' on it: with no listener that
// would be an uncaught exception.
function drop(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

// The provider answered, so it may have captured: whatever its status, an answer we will not read is `unknown`.
function tooLargeOutcome(providerName: string, status: number, maxBytes: number): CaptureOutcomeInput {
  return {
    status: 'unknown',
    error: {
      code: 'provider_response_invalid',
      message: `${providerName} sent a response we cannot read (HTTP ${status}): it is larger than ${maxBytes} bytes and was cut off`,
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return raw.length > 0 ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e && parts.length < 4; e = e.cause as typeof e) {
    if (e.message) parts.push(e.message);
  }
  return parts.join(': ');
}
