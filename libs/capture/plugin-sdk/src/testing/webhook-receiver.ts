import type { CaptureProvider, CaptureUpdate } from '../lib/plugin.contract';
import { acknowledgementProblem, webhookHandlingOf } from '../lib/webhooks/webhook-acknowledgement';
import { type RunningServer, type SandboxReply, startSandboxServer } from './sandbox-server';

/** One delivery as the receiver got it, what the plugin made of it, and what it answered. */
export interface ReceivedDelivery {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** The updates this delivery carried (none when refused). */
  updates: CaptureUpdate[];
  /** The answer sent back: the plugin's acknowledgement, 200, or 401 for a refusal. */
  answer: { status: number; body: string };
}

/** A stand-in for the service's webhook endpoint: each delivery goes to the plugin's `handleWebhook`. */
export interface WebhookReceiver extends RunningServer {
  readonly url: string;
  readonly updates: CaptureUpdate[];
  /** Each delivery as received, for replays and tampering tests. */
  readonly deliveries: ReceivedDelivery[];
  /** Why deliveries were refused (`WebhookRejectedError.reason`, or the error a plugin threw), in order. */
  readonly refusals: string[];
  /** Resolves with the first update (already received or to come) that `match` accepts, or rejects after `timeoutMs`. */
  waitFor(match: (update: CaptureUpdate) => boolean, timeoutMs: number): Promise<CaptureUpdate>;
}

/**
 * Answers as the service does: the plugin's acknowledgement (1.5.0) or 200 for a delivery it
 * accepted, 401 for one it refused, and 500 for an acknowledgement the service would not send.
 */
export async function startWebhookReceiver(provider: () => CaptureProvider | undefined): Promise<WebhookReceiver> {
  const updates: CaptureUpdate[] = [];
  const deliveries: ReceivedDelivery[] = [];
  const refusals: string[] = [];
  const waiters = new Set<() => void>();
  const server = await startSandboxServer(async (request) => {
    const handle = provider()?.handleWebhook;
    if (!handle) return { status: 404 };
    const delivery: ReceivedDelivery = { headers: request.headers, rawBody: request.rawBody, updates: [], answer: { status: 0, body: '' } };
    deliveries.push(delivery);
    try {
      const reply = await answerFor(handle({ headers: request.headers, rawBody: request.rawBody, receivedAt: new Date() }), delivery);
      updates.push(...delivery.updates);
      return reply;
    } catch (error) {
      // A refusal is the service's 401; anything else thrown (a plugin bug) its 500.
      const reason = (error as { reason?: string }).reason;
      refusals.push(reason ?? String(error));
      delivery.answer = { status: reason ? 401 : 500, body: '' };
      return { status: delivery.answer.status };
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

// The plugin's answer to an accepted delivery, checked as the service checks it: a bad one is a plugin bug.
async function answerFor(
  handled: ReturnType<NonNullable<CaptureProvider['handleWebhook']>>,
  delivery: ReceivedDelivery,
): Promise<SandboxReply> {
  const { updates, acknowledge } = webhookHandlingOf(await handled);
  const problem = acknowledge && acknowledgementProblem(acknowledge);
  if (problem) throw new Error(`invalid acknowledgement: ${problem}`);
  delivery.updates.push(...updates);
  delivery.answer = acknowledge ? { status: acknowledge.status, body: acknowledge.body } : { status: 200, body: '' };
  return acknowledge
    ? { status: acknowledge.status, text: acknowledge.body, headers: { 'content-type': acknowledge.contentType } }
    : { status: 200 };
}
