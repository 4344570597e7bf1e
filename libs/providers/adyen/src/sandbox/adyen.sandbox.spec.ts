import { createMemoryLogger, startWebhookReceiver, type WebhookReceiver } from '@capture-gateway/plugin-sdk/testing';
import { adyenPlugin } from '../lib/adyen.plugin';
import { type AdyenSandbox, startAdyenSandbox } from './adyen.sandbox';

// What the sandbox promises beyond the pact: credentials, Adyen's idempotency, magic ids, notifications.
describe('Adyen sandbox', () => {
  let sandbox: AdyenSandbox;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    sandbox = await startAdyenSandbox({ batchMs: 20 });
    const provider = adyenPlugin.create(adyenPlugin.configSchema.parse(sandbox.accountSettings), {
      accountId: 'adyen-sandbox',
      logger: createMemoryLogger(),
      timeoutMs: 2_000,
    });
    receiver = await startWebhookReceiver(() => provider);
    sandbox.setWebhookTarget(receiver.url);
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => sandbox.reset());

  const capture = (psp: string, body: Record<string, unknown>, key?: string, apiKey = sandbox.accountSettings.apiKey) =>
    fetch(`${sandbox.baseUrl}/v71/payments/${encodeURIComponent(psp)}/captures`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(1_000),
    });
  const body = (value: number, reference = 'cap_sbx0001', currency = 'EUR') => ({
    merchantAccount: sandbox.accountSettings.merchantAccount,
    amount: { value, currency },
    reference,
  });
  const notified = async (count: number) => {
    for (let waited = 0; sandbox.notificationsSent().length < count; waited += 10) {
      if (waited > 3_000) throw new Error(`only ${sandbox.notificationsSent().length} of ${count} notifications were sent`);
      await new Promise((done) => setTimeout(done, 10));
    }
    return sandbox.notificationsSent();
  };

  it('answers received, replays the first answer to a key with the key echoed, and notifies once', async () => {
    const first = await capture('PAY1', body(500), 'k1');
    const again = await capture('PAY1', body(500), 'k1');
    expect(first.status).toBe(201);
    expect(again.headers.get('idempotency-key')).toBe('k1');
    const answer = (await first.json()) as { pspReference: string };
    expect(answer).toMatchObject({ status: 'received', paymentPspReference: 'PAY1', reference: 'cap_sbx0001', amount: { value: 500 } });
    expect(await again.json()).toEqual(answer);
    expect(sandbox.capturesOf('PAY1')).toBe(1);
    expect(sandbox.capturesReceived()).toBe(2);
    const [delivery] = await notified(1);
    expect(delivery).toMatchObject({
      items: [{ eventCode: 'CAPTURE', pspReference: answer.pspReference, merchantReference: 'cap_sbx0001', success: 'true' }],
      status: 200,
      body: '[accepted]',
    });
  });

  it('refuses what Adyen refuses before anything is performed, with its ServiceError', async () => {
    const refused = async (response: Promise<Response>) => {
      const r = await response;
      return [r.status, ((await r.json()) as { errorCode: string }).errorCode];
    };
    expect(await refused(capture('PAY2', body(1), undefined, 'AQE_wrong_key_0123'))).toEqual([401, '000']);
    expect(await refused(capture('PAY2', { ...body(1), merchantAccount: 'OtherECOM' }))).toEqual([403, '901']);
    expect(await refused(capture('PAY2', { merchantAccount: sandbox.accountSettings.merchantAccount }))).toEqual([422, '100']);
    expect(await refused(capture('PAY2', body(1.5)))).toEqual([422, '137']);
    expect(await refused(capture('notfound-1', body(1)))).toEqual([422, '167']);
    expect(await refused(capture('error-1', body(1)))).toEqual([500, '903']);
    sandbox.keyInProgress('busy');
    expect(await refused(capture('PAY2', body(1), 'busy'))).toEqual([422, '704']);
    expect(sandbox.capturesOf('PAY2')).toBe(0);
  });

  it('captures in parts up to what was authorised, and fails the capture past it by notification', async () => {
    sandbox.authorise('PAY3', { amount: 1_000, currency: 'EUR' });
    await capture('PAY3', body(600, 'cap_a'));
    await notified(1);
    await capture('PAY3', body(600, 'cap_b'));
    await capture('PAY3', body(400, 'cap_c', 'USD'));
    const items = (await notified(2)).flatMap((d) => d.items);
    expect(items.map((i) => [i.merchantReference, i.success])).toEqual([
      ['cap_a', 'true'],
      ['cap_b', 'false'],
      ['cap_c', 'false'],
    ]);
    expect(sandbox.capturesOf('PAY3')).toBe(1);
  });

  it('cancels the rest after a partial capture on an account without multiple partial captures', async () => {
    const single = await startAdyenSandbox({ multiplePartialCaptures: false, webhookUrl: receiver.url, batchMs: 5 });
    try {
      single.authorise('PAY4', { amount: 1_000, currency: 'EUR' });
      const send = (reference: string) =>
        fetch(`${single.baseUrl}/v71/payments/PAY4/captures`, {
          method: 'POST',
          headers: { 'x-api-key': single.accountSettings.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({
            merchantAccount: single.accountSettings.merchantAccount,
            amount: { value: 100, currency: 'EUR' },
            reference,
          }),
        });
      await send('cap_d');
      await send('cap_e');
      await new Promise((done) => setTimeout(done, 100));
      expect(single.notificationsSent().flatMap((d) => d.items.map((i) => i.success))).toEqual(['true', 'false']);
    } finally {
      await single.close();
    }
  });

  it('sends CAPTURE, then CAPTURE_FAILED for a capturefailed- payment; a tampered- one is refused by the plugin', async () => {
    await capture('capturefailed-1', body(300, 'cap_f'));
    const [captured, failed] = await notified(2);
    expect(captured?.items[0]).toMatchObject({ eventCode: 'CAPTURE', success: 'true' });
    expect(failed?.items[0]).toMatchObject({
      eventCode: 'CAPTURE_FAILED',
      success: 'true',
      pspReference: captured?.items[0]?.pspReference,
    });
    expect(sandbox.capturesOf('capturefailed-1')).toBe(1);
    await capture('tampered-1', body(300, 'cap_g'));
    const [, , tampered] = await notified(3);
    expect(tampered).toMatchObject({ items: [{ tampered: true }], status: 401 });
    expect(receiver.refusals.at(-1)).toBe('bad_signature');
  });

  it('holds notifications and sends them as one batch; decline- is refused by notification', async () => {
    sandbox.holdNotifications();
    await capture('PAY5', body(100, 'cap_h'));
    await capture('decline-5', body(100, 'cap_i'));
    await new Promise((done) => setTimeout(done, 60));
    expect(sandbox.notificationsSent()).toHaveLength(0);
    const batch = await sandbox.flushNotifications();
    expect(batch?.items.map((i) => [i.merchantReference, i.success])).toEqual([
      ['cap_h', 'true'],
      ['cap_i', 'false'],
    ]);
    expect(JSON.parse(batch?.rawBody ?? '{}').notificationItems).toHaveLength(2);
  });

  it('answers garbage- with HTML, and never answers timeout- though it captured and notifies', async () => {
    expect((await capture('garbage-1', body(1))).headers.get('content-type')).toBe('text/html');
    await expect(capture('timeout-1', body(700, 'cap_t'), 'kt')).rejects.toThrow();
    expect(sandbox.capturesOf('timeout-1')).toBe(1);
    // A re-send with the key replays the answer the first attempt never got.
    expect(await (await capture('timeout-1', body(700, 'cap_t'), 'kt')).json()).toMatchObject({ status: 'received' });
    expect(sandbox.capturesOf('timeout-1')).toBe(1);
    expect((await notified(1))[0]?.items[0]).toMatchObject({ merchantReference: 'cap_t', success: 'true' });
  });

  it('seeds payments in ISO minor units, written as Adyen writes them', async () => {
    sandbox.authorise('PAY6', { amount: 1_500, currency: 'ISK' });
    await capture('PAY6', body(150_000, 'cap_k', 'ISK'));
    await capture('PAY6', body(1, 'cap_l', 'ISK'));
    expect((await notified(1)).flatMap((d) => d.items.map((i) => i.success))).toEqual(['true', 'false']);
  });
});
