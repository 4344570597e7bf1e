import { createHmac, randomUUID } from 'node:crypto';
import { type SandboxReply, type SandboxRequest, startSandboxServer } from '../sandbox-server';
import { type ProviderSandbox, type SandboxStartOptions, SILENCE, postWebhook, sandboxMagic } from '../sandbox-conventions';
import { type AsyncExampleEvent, CAPTURE_PATH, CaptureRequestSchema } from './async-example.schemas';

export const ASYNC_EXAMPLE_CARD = '4111111111111111';

export interface AsyncExampleSandbox extends ProviderSandbox {
  readonly accountSettings: { baseUrl: string; apiKey: string; webhookSecret: string };
}

/**
 * The async example provider: answers 202 "received", then sends the results of all captures
 * received in the last `batchMs` in one delivery, each item signed on its own, with an unrelated
 * event mixed in. Magic ids: `decline-` settles as declined; `timeout-`, `error-`, `garbage-` as usual.
 */
export async function startAsyncExampleSandbox(options: SandboxStartOptions & { batchMs?: number } = {}): Promise<AsyncExampleSandbox> {
  const credentials = { apiKey: 'ak_sandbox', webhookSecret: 'whsec_async_example' };
  let queue: AsyncExampleEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let received = 0;

  const sign = (payload: string) => createHmac('sha256', credentials.webhookSecret).update(payload).digest('hex');
  const flush = () => {
    timer = undefined;
    const events = [...queue, { event_id: randomUUID(), type: 'payout.paid' }];
    queue = [];
    const items = events.map((event) => JSON.stringify(event)).map((payload) => ({ payload, signature: sign(payload) }));
    if (options.webhookUrl) postWebhook(options.webhookUrl, JSON.stringify({ items })).catch(() => undefined);
  };

  function handle(request: SandboxRequest): SandboxReply {
    if (request.method !== 'POST' || request.path !== `/${CAPTURE_PATH}`) return { status: 404, text: 'Not Found' };
    received++;
    if (request.headers['x-api-key'] !== credentials.apiKey) return { status: 401, json: { error: { code: 'bad_key' } } };
    const body = CaptureRequestSchema.safeParse(request.body);
    if (!body.success) return { status: 400, json: { error: { code: 'invalid', message: 'Not a capture request' } } };
    const { payment_id, amount, merchant_reference } = body.data;
    const magic = sandboxMagic(payment_id);
    if (magic === 'timeout') return SILENCE;
    if (magic === 'error') return { status: 503, json: { error: { code: 'unavailable' } } };
    if (magic === 'garbage') return { status: 202, text: '<html>queued?</html>' };
    if (magic === 'notfound') return { status: 404, json: { error: { code: 'unknown_payment' } } };
    const capture_ref = `cr_${randomUUID()}`;
    const common = { event_id: randomUUID(), capture_ref, merchant_reference, payment_id };
    queue.push(
      magic === 'decline'
        ? { ...common, type: 'capture.failed', reason: { code: 'do_not_honour', message: `Card ${ASYNC_EXAMPLE_CARD} declined` } }
        : { ...common, type: 'capture.succeeded', amount },
    );
    timer ??= setTimeout(flush, options.batchMs ?? 50);
    return { status: 202, json: { status: 'received', capture_ref } };
  }

  const server = await startSandboxServer(handle, options);
  return {
    ...server,
    accountSettings: { baseUrl: server.baseUrl, ...credentials },
    reset: () => {
      queue = [];
      received = 0;
    },
    capturesReceived: () => received,
    close: async () => {
      if (timer) clearTimeout(timer);
      await server.close();
    },
  };
}
