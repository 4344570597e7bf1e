import { join } from 'node:path';
import { ErrorResponseSchema, WebhookAcknowledgementSchema } from '../docs';
import { SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

const SECRET = 'ack_whsec_SECRET_44';
const auth = { authorization: `Bearer ${SHOP_KEY}` };
type Item = { eventId: string; authorisationId: string; status: 'succeeded' | 'failed' };

// A plugin whose provider wants its own answer (contract 1.5.0), as Adyen wants `[accepted]`.
describe('webhook acknowledgements chosen by the plugin', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        plugins: [{ module: join(__dirname, 'testing/acknowledging.plugin.ts') }],
        accounts: [{ id: 'ack-us', plugin: 'acking', settings: { webhookSecret: SECRET } }],
        clients: [{ id: 'shop', apiKey: SHOP_KEY, accounts: ['ack-us'] }],
      })),
  );
  afterAll(() => t?.close());

  const deliver = (ack: string, items: Item[], signature = SECRET) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/ack-us',
      headers: { 'content-type': 'application/json', 'x-ack-signature': signature },
      payload: JSON.stringify({ ack, items }),
    });
  async function pendingCapture(authorisationId: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { ...auth, 'idempotency-key': `key-${authorisationId}` },
      payload: { account: 'ack-us', authorisationId, amount: { amount: 900, currency: 'USD' } },
    });
    expect(res.statusCode).toBe(202);
    return res.json().id as string;
  }
  const status = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/captures/${id}`, headers: auth })).json().status;
  const metrics = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;

  test("answers exactly the plugin's acknowledgement, once the delivery's updates are applied", async () => {
    const id = await pendingCapture('pending-a1');
    const res = await deliver('accepted', [{ eventId: 'evt_a1', authorisationId: 'pending-a1', status: 'succeeded' }]);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('[accepted]');
    expect(await status(id)).toBe('succeeded');
  });

  test('accepts a batch whose items are not all applied: the good one settles, the others are logged and counted, not retried', async () => {
    const id = await pendingCapture('pending-a2');
    const res = await deliver('accepted', [
      { eventId: 'evt_a2', authorisationId: 'pending-a2', status: 'succeeded' },
      { eventId: 'evt_a3', authorisationId: 'no-such-authorisation', status: 'succeeded' },
    ]);
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 200, body: '[accepted]' });
    expect(await status(id)).toBe('succeeded');
    expect(t.logs.some((line) => line.includes('evt_a3') && line.includes('webhook event refused'))).toBe(true);
    expect(await metrics()).toContain('capture_webhook_updates_refused_total{account="ack-us",provider="acking"} 1');

    // Sent again, as a provider would that did not hear the answer: the same answer, and nothing moves.
    const again = await deliver('accepted', [{ eventId: 'evt_a2', authorisationId: 'pending-a2', status: 'failed' }]);
    expect(again.body).toBe('[accepted]');
    expect(await status(id)).toBe('succeeded');
  });

  test("refuses a forged delivery with the service's own 401, never the plugin's acknowledgement", async () => {
    const id = await pendingCapture('pending-a4');
    const res = await deliver('accepted', [{ eventId: 'evt_a4', authorisationId: 'pending-a4', status: 'succeeded' }], 'not-the-secret');
    expect(res.statusCode).toBe(401);
    expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('unauthenticated');
    expect(res.body).not.toContain('[accepted]');
    expect(await status(id)).toBe('pending');
  });

  test('answers the JSON receipt for a bare array (a plugin before 1.5.0)', async () => {
    const id = await pendingCapture('pending-a5');
    const res = await deliver('none', [{ eventId: 'evt_a5', authorisationId: 'pending-a5', status: 'failed' }]);
    expect(res.statusCode).toBe(200);
    expect(WebhookAcknowledgementSchema.parse(res.json())).toEqual({ received: true, updates: 1, refused: 0 });
    expect(await status(id)).toBe('failed');
  });

  test('sends the receipt instead of an acknowledgement it cannot send, and logs the plugin’s bug', async () => {
    const id = await pendingCapture('pending-a6');
    const res = await deliver('broken', [{ eventId: 'evt_a6', authorisationId: 'pending-a6', status: 'succeeded' }]);
    expect(res.statusCode).toBe(200);
    expect(WebhookAcknowledgementSchema.parse(res.json())).toEqual({ received: true, updates: 1, refused: 0 });
    expect(await status(id)).toBe('succeeded');
    const logged = t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l['message'] === 'webhook acknowledgement not sent');
    expect(logged).toMatchObject({ level: 'error', account: 'ack-us', plugin: 'acking', problem: expect.stringContaining('not a 2xx') });
  });
});
