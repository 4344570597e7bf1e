import type { CaptureOutcomeInput } from '@capture-gateway/domain';
import ky, { type KyInstance, type Options } from 'ky';
import { PLUGIN_CONTRACT_VERSION, type PluginLogger } from '../plugin.contract';
import { redact } from '../secrets';
import { withTraceContext } from './trace-context';
import { transportFailureOutcome } from './transport-failure';
import { createUndiciFetch } from './undici-fetch.transport';
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
 * credentials redacted from everything it returns or logs. One ky instance and one socket pool per
 * helper (per account), over `undici.request` rather than the global fetch (see `createUndiciFetch`).
 */
export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const { providerName, secrets, logger } = options;
  const maxBytes = options.maxResponseBytes ?? MAX_PROVIDER_RESPONSE_BYTES;
  const transport = createUndiciFetch({ maxResponseBytes: maxBytes });
  const client: KyInstance = ky.create({
    fetch: transport.fetch,
    prefix: options.baseUrl,
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    // fetch sent `user-agent: node`; undici.request sends none, and some gateways refuse a request
    // without one. A plugin's own header wins.
    headers: { 'user-agent': `capture-gateway/${PLUGIN_CONTRACT_VERSION}`, ...options.headers },
  });

  const send = async (method: 'get' | 'post', path: string, body: unknown, call: ProviderCallOptions) => {
    const started = performance.now();
    const { contentType, ...payload } = bodyOf(body, call.bodyEncoding);
    const headers = withTraceContext({
      ...(contentType ? { 'content-type': contentType } : {}),
      ...call.headers,
      ...(call.requestId ? { 'x-request-id': call.requestId } : {}),
    });
    try {
      const response = await client(path, { method, ...payload, headers, signal: call.signal });
      const raw = await readCapped(response, maxBytes);
      const elapsedMs = Math.round(performance.now() - started);
      if (raw === undefined) {
        logger?.warn('provider answer too large', { provider: providerName, path, status: response.status, elapsedMs, maxBytes });
        return { kind: 'no-answer', outcome: tooLargeOutcome(providerName, response.status, maxBytes) } satisfies ProviderNoAnswer;
      }
      logger?.debug('provider call answered', {
        provider: providerName,
        path,
        status: response.status,
        elapsedMs,
        requestId: call.requestId,
      });
      return {
        kind: 'answer',
        status: response.status,
        headers: response.headers,
        body: parseJson(raw),
        // Redacted whole, then cut: a cut first could leave half a secret or card number that no longer matches.
        text: redact(raw, secrets).slice(0, 500),
      } satisfies ProviderAnswer;
    } catch (error) {
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
    }
  };
  return {
    post: (path, body, call = {}) => send('post', path, body, call),
    get: (path, call = {}) => send('get', path, undefined, call),
    close: () => transport.close(),
  };
}

// ky sets JSON's content type itself, and leaves a string body's to the caller.
function bodyOf(body: unknown, encoding: BodyEncoding = 'json'): Pick<Options, 'json' | 'body'> & { contentType?: string } {
  if (body === undefined) return {};
  if (encoding === 'json') return { json: body };
  return { body: formEncode(body as Record<string, FormValue>), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * The body as text, or undefined once it is larger than `maxBytes`: reading stops there (the rest is
 * never buffered) and the connection is let go.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
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
