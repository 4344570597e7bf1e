import { z } from 'zod';
import { defineHttpCapturePlugin } from '../lib/http/http-capture.plugin';
import type { CaptureProvider, CaptureUpdate, WebhookAcknowledgement } from '../lib/plugin.contract';
import { WebhookRejectedError } from '../lib/webhooks/webhook.errors';
import { createMemoryLogger } from './memory-logger';
import { postWebhook } from './sandbox-conventions';
import { startWebhookReceiver } from './webhook-receiver';

const ACCEPTED: WebhookAcknowledgement = { status: 200, contentType: 'text/plain; charset=utf-8', body: '[accepted]' };
const update = (eventId: string): CaptureUpdate => ({
  eventId,
  authorisationId: 'auth_1',
  outcome: { status: 'succeeded', references: {} },
});

// A plugin on the real skeleton whose webhook handler answers by the body's first word: the skeleton
// hands `{ updates, acknowledge }` (1.5.0) through unchanged, and the receiver answers as the service does.
const plugin = defineHttpCapturePlugin({
  id: 'ack-example',
  displayName: 'AckExample',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url() }),
  capabilities: { partialCapture: false, multipleCaptures: false, captureWithoutAmount: false, webhooks: true, currencies: 'any' },
  path: 'capture',
  headers: () => ({}),
  toWire: () => ({}),
  answerSchema: z.object({}),
  readAnswer: () => ({ status: 'pending' }),
  errorSchema: z.object({}),
  readError: () => undefined,
  errorCodes: {},
  async handleWebhook(delivery) {
    const [kind, eventId = 'evt'] = delivery.rawBody.toString('utf8').split(' ');
    if (kind === 'forged') throw new WebhookRejectedError('bad_signature', 'forged');
    if (kind === 'array') return [update(eventId)];
    if (kind === 'broken') return { updates: [update(eventId)], acknowledge: { ...ACCEPTED, status: 500 } };
    return { updates: [update(eventId)], acknowledge: ACCEPTED };
  },
});

describe('the webhook receiver answers as the service does', () => {
  const provider: CaptureProvider = plugin.create(
    { baseUrl: 'http://127.0.0.1:1' },
    { accountId: 'a', logger: createMemoryLogger(), timeoutMs: 1_000 },
  );
  const post = async (url: string, body: string) => {
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };

  it("sends the plugin's acknowledgement, the default 200 for a bare array, 401 for a refusal, and 500 for an acknowledgement it cannot send", async () => {
    const receiver = await startWebhookReceiver(() => provider);
    try {
      expect(await post(receiver.url, 'ack evt_1')).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: '[accepted]' });
      expect(await postWebhook(receiver.url, 'array evt_2')).toBe(200);
      expect(await postWebhook(receiver.url, 'forged evt_3')).toBe(401);
      expect(await postWebhook(receiver.url, 'broken evt_4')).toBe(500);
      expect(receiver.updates.map((u) => u.eventId)).toEqual(['evt_1', 'evt_2']);
      expect(receiver.refusals).toEqual(['bad_signature', 'Error: invalid acknowledgement: its status 500 is not a 2xx']);
      expect(receiver.deliveries.map((d) => [d.answer.status, d.answer.body, d.updates.map((u) => u.eventId)])).toEqual([
        [200, '[accepted]', ['evt_1']],
        [200, '', ['evt_2']],
        [401, '', []],
        [500, '', []],
      ]);
    } finally {
      await receiver.close();
    }
  });
});
