import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One endpoint's connections: kept alive between deliveries, at most `maxSockets` at once. */
export function endpointAgent(url: string, maxSockets: number): HttpAgent {
  const options = { keepAlive: true, maxSockets };
  return new URL(url).protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}

/**
 * POSTs `body` and resolves with the status, the answer's body discarded. Node's own client on a
 * kept-alive connection: a fraction of `fetch`'s CPU per call, which the capture path shares. No
 * redirect is followed: a receiver answers, it does not send our signed events elsewhere.
 */
export function postEvent(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  agent: HttpAgent,
): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
