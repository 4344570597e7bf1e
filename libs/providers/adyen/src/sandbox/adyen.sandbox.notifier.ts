import { type SandboxItem, notificationBatch, notificationItem } from './adyen.sandbox.payloads';

/** One batch the sandbox sent, and what the webhook endpoint answered (Adyen wants `[accepted]`). */
export interface SandboxDelivery {
  items: { eventCode: string; pspReference: string; merchantReference: string; success: string; tampered: boolean }[];
  rawBody: string;
  status: number;
  contentType: string | null;
  body: string;
}

type Deliver = (url: string, rawBody: string) => Promise<{ status: number; contentType: string | null; body: string }>;

/**
 * Adyen's side of notifications: items queue up and go out together in one signed batch after
 * `batchMs` (or when flushed, while held); a later item (CAPTURE_FAILED) follows in a batch of its own.
 * Without a webhook target nothing is sent, as the sandbox convention says.
 */
export function createNotifier(options: { hmacKey: string; webhookUrl: string; batchMs: number; deliver: Deliver }) {
  let webhookUrl = options.webhookUrl;
  let queued: { item: SandboxItem; tamper: boolean }[] = [];
  let held = false;
  let timer: NodeJS.Timeout | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const sent: SandboxDelivery[] = [];

  async function post(batch: { item: SandboxItem; tamper: boolean }[]): Promise<SandboxDelivery | undefined> {
    if (!webhookUrl || batch.length === 0) return undefined;
    const rawBody = JSON.stringify(notificationBatch(batch.map(({ item, tamper }) => notificationItem(item, options.hmacKey, { tamper }))));
    const items = batch.map(({ item, tamper }) => ({
      eventCode: item.eventCode,
      pspReference: item.pspReference,
      merchantReference: item.merchantReference,
      success: item.success,
      tampered: tamper,
    }));
    const answer = await options.deliver(webhookUrl, rawBody).catch(() => ({ status: 0, contentType: null, body: '' }));
    const delivery = { items, rawBody, ...answer };
    sent.push(delivery);
    return delivery;
  }

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queued;
    queued = [];
    return post(batch);
  };

  return {
    sent: sent as readonly SandboxDelivery[],
    queue(item: SandboxItem, { tamper = false } = {}) {
      queued.push({ item, tamper });
      if (held || timer) return;
      timer = setTimeout(() => void flush(), options.batchMs);
      timer.unref();
    },
    /** Sent on its own, once the batch before it had time to go. */
    later(item: SandboxItem) {
      const delayed = setTimeout(() => {
        timers.delete(delayed);
        void post([{ item, tamper: false }]);
      }, options.batchMs * 4);
      delayed.unref();
      timers.add(delayed);
    },
    hold() {
      held = true;
    },
    flush() {
      held = false;
      return flush();
    },
    send: async (items: SandboxItem[], tampered: readonly number[]) => {
      const delivery = await post(items.map((item, index) => ({ item, tamper: tampered.includes(index) })));
      if (!delivery) throw new Error('The Adyen sandbox has no webhook target; pass options.webhookUrl or call setWebhookTarget()');
      return delivery;
    },
    target(url: string) {
      webhookUrl = url;
    },
    reset() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const delayed of timers) clearTimeout(delayed);
      timers.clear();
      queued = [];
      held = false;
      sent.length = 0;
    },
  };
}
