import type { CaptureProvider, CaptureUpdate } from '../lib/plugin.contract';
import { type RunningServer, startSandboxServer } from './sandbox-server';

/** A stand-in for the service's webhook endpoint: each delivery goes to the plugin's `handleWebhook`. */
export interface WebhookReceiver extends RunningServer {
  readonly url: string;
  readonly updates: CaptureUpdate[];
  /** Each delivery as received, for replays and tampering tests. */
  readonly deliveries: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer }[];
  /** Why deliveries were refused (`WebhookRejectedError.reason`), in order. */
  readonly refusals: string[];
  /** Resolves with the first update (already received or to come) that `match` accepts, or rejects after `timeoutMs`. */
  waitFor(match: (update: CaptureUpdate) => boolean, timeoutMs: number): Promise<CaptureUpdate>;
}

/** Answers 200 for a delivery the plugin accepted, 401 for one it refused, as the service does. */
export async function startWebhookReceiver(provider: () => CaptureProvider | undefined): Promise<WebhookReceiver> {
  const updates: CaptureUpdate[] = [];
  const deliveries: WebhookReceiver['deliveries'] = [];
  const refusals: string[] = [];
  const waiters = new Set<() => void>();
  const server = await startSandboxServer(async (request) => {
    const handle = provider()?.handleWebhook;
    if (!handle) return { status: 404 };
    deliveries.push({ headers: request.headers, rawBody: request.rawBody });
    try {
      updates.push(...(await handle({ headers: request.headers, rawBody: request.rawBody, receivedAt: new Date() })));
      return { status: 200 };
    } catch (error) {
      refusals.push((error as { reason?: string }).reason ?? String(error));
      return { status: 401 };
    } finally {
      for (const wake of waiters) wake();
    }
  });
  const waitFor = (match: (update: CaptureUpdate) => boolean, timeoutMs: number) =>
    new Promise<CaptureUpdate>((resolve, reject) => {
      const check = () => {
        const found = updates.find(match);
        if (!found) return;
        cleanUp();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`no matching webhook update within ${timeoutMs} ms (refusals: ${refusals.join(', ') || 'none'})`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return { ...server, url: `${server.baseUrl}/v1/webhooks/conformance`, updates, deliveries, refusals, waitFor };
}
