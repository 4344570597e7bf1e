import { Agent, type Dispatcher, errors } from 'undici';

export interface UndiciFetchOptions {
  /** Past this many bytes the answer is not read further (see `readCapped`, which then calls it too large). */
  maxResponseBytes: number;
  /** Sockets kept per origin (default `PROVIDER_HTTP_CONNECTIONS`). */
  connections?: number;
}

/** A fetch-compatible function for ky's `fetch` option, and the sockets it holds. */
export interface UndiciFetchTransport {
  fetch: typeof globalThis.fetch;
  /** Waits for calls in flight, then closes the sockets; a call made after it fails without sending (`UND_ERR_CLOSED`). */
  close(): Promise<void>;
}

/** Sockets per origin of each account's pool: the service never lets more captures than this wait on one. */
export const PROVIDER_HTTP_CONNECTIONS = 64;

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * ky's transport: `undici.request` on one kept-alive `Agent`, answered as a `Response` built from the
 * buffered body. Under ky, about half the CPU per call of ky on the global `fetch` (the SDK's transport
 * bench, `npm run bench:sdk`): it skips fetch's spec machinery (no decompression, no redirects, no CORS).
 * What ky and the SDK rely on is kept: the request's abort signal (ky's timeout) cancels the call and
 * frees its socket, an abort rejects with the signal's reason, and a network failure rejects as
 * `fetch` does (a `TypeError` whose `cause` carries the code), so `transportFailureOutcome` reads it the same.
 * Redirects are answered as they come, never followed: following one would send a capture somewhere
 * the account never named.
 */
export function createUndiciFetch(options: UndiciFetchOptions): UndiciFetchTransport {
  // pipelining 1: undici never pipelines a POST behind another request anyway, and a status check
  // queued behind a slow capture would spend its own timeout waiting.
  const agent = new Agent({ connections: options.connections ?? PROVIDER_HTTP_CONNECTIONS, pipelining: 1, keepAliveTimeout: 4_000 });
  const { maxResponseBytes } = options;
  let closed = false;

  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    // ky hands over a Request it built, with an empty init of options it does not know.
    const request = input instanceof Request && (init === undefined || Object.keys(init).length === 0) ? input : new Request(input, init);
    const { signal } = request;
    const url = new URL(request.url);
    const headers: string[] = [];
    request.headers.forEach((value, name) => headers.push(name, value));
    try {
      if (closed) throw new errors.ClientClosedError();
      const body = request.body === null ? undefined : await bytesOf(request.body);
      const answer = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as 'GET',
        headers,
        body,
        signal,
      });
      const answerHeaders = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) {
        if (Array.isArray(value)) for (const each of value) answerHeaders.append(name, each);
        else if (value !== undefined) answerHeaders.append(name, value);
      }
      const bytes = await readUpTo(answer.body, Number(answer.headers['content-length']), maxResponseBytes);
      const nullBody = NULL_BODY_STATUSES.has(answer.statusCode);
      return new Response(nullBody ? null : bytes, { status: answer.statusCode, headers: answerHeaders });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
  };
  const close = () => {
    closed = true;
    return agent.close();
  };
  return { fetch: fetch as typeof globalThis.fetch, close };
}

/**
 * The request's body, read and then let go: ky cancels the body after the call, and cancelling a
 * stream still locked by a reader builds an error (with its stack) on every call.
 */
async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  } finally {
    reader.releaseLock();
  }
  return chunks.length === 1 ? Buffer.from(chunks[0].buffer, chunks[0].byteOffset, chunks[0].byteLength) : Buffer.concat(chunks);
}

/**
 * The whole body, or only its first `max + 1` bytes or more once it is larger than `max` (so the reader
 * still sees it is too large); a declared length over `max` is not read at all. Whatever is not read
 * is dropped with its socket.
 */
async function readUpTo(body: Dispatcher.ResponseData['body'], declared: number, max: number): Promise<Uint8Array> {
  if (Number.isFinite(declared) && declared > max) {
    drop(body);
    return new Uint8Array(0);
  }
  // HTTP/1.1 reads exactly the declared length, never more: read it whole, the cheaper way.
  if (Number.isFinite(declared)) return body.bytes();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > max) {
      drop(body);
      break;
    }
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

// Destroying a body before its end makes undici emit an abort 'error' on it: with no listener that
// would be an uncaught exception.
function drop(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
