import type { CaptureProvider, ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger, startWebhookReceiver, type WebhookReceiver } from '@capture-gateway/plugin-sdk/testing';
import { type AdyenSandbox, startAdyenSandbox } from '../sandbox';
import { adyenPlugin } from './adyen.plugin';

// The plugin against its sandbox: Adyen's own situations (idempotency, lost answers, notifications).
describe('the Adyen plugin against its sandbox', () => {
  let sandbox: AdyenSandbox;
  let receiver: WebhookReceiver;
  const logger = createMemoryLogger();
  const providerFor = (timeoutMs = 2_000, settings: Record<string, unknown> = {}): CaptureProvider =>
    adyenPlugin.create(adyenPlugin.configSchema.parse({ ...sandbox.accountSettings, ...settings }), {
      accountId: 'adyen-test',
      logger,
      timeoutMs,
    });
  const request = (psp: string, amount = 1_500, captureId = `cap_${psp.replace(/\W/g, '')}`): ProviderCaptureRequest<undefined> => ({
    captureId,
    authorisationId: psp,
    amount: { amount, currency: 'EUR' },
    options: undefined,
  });
  const updatesOf = (captureId: string) => receiver.updates.filter((u) => u.captureId === captureId);

  beforeAll(async () => {
    sandbox = await startAdyenSandbox({ batchMs: 20 });
    const webhookSide = providerFor();
    receiver = await startWebhookReceiver(() => webhookSide);
    sandbox.setWebhookTarget(receiver.url);
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => sandbox.reset());

  it('is pending until the signed CAPTURE settles it, the notification answered [accepted]', async () => {
    const sent = request('8835511210681701');
    const answer = await providerFor().capture(sent);
    expect(answer).toMatchObject({ status: 'pending', references: { other: { paymentPspReference: '8835511210681701' } } });
    const update = await receiver.waitFor((u) => u.captureId === sent.captureId, 5_000);
    expect(update).toMatchObject({
      providerCaptureId: answer.references?.captureId,
      authorisationId: '8835511210681701',
      outcome: { status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'EUR' } },
    });
    expect(receiver.deliveries.find((d) => d.updates.includes(update))?.answer).toEqual({ status: 200, body: '[accepted]' });
  });

  it('captures once however often the same capture is sent: Adyen answers the first attempt again for its key', async () => {
    const provider = providerFor();
    const first = await provider.capture(request('8835511210681702'));
    const again = await provider.capture(request('8835511210681702'));
    expect(again).toEqual(first);
    expect(sandbox.capturesOf('8835511210681702')).toBe(1);
  });

  it('a timed-out capture is unknown; Adyen still captured, its notification settles it, and a re-send with its key is answered as the first', async () => {
    const sent = request('timeout-1');
    expect(await providerFor(300).capture(sent)).toMatchObject({ status: 'unknown', error: { code: 'provider_timeout' } });
    const update = await receiver.waitFor((u) => u.captureId === sent.captureId, 5_000);
    expect(update.outcome).toMatchObject({ status: 'succeeded' });
    expect(await providerFor().capture(sent)).toMatchObject({ status: 'pending', references: { captureId: update.providerCaptureId } });
    expect(sandbox.capturesOf('timeout-1')).toBe(1);
  });

  it('reports a capture refused by the card scheme after Adyen accepted it: CAPTURE, then CAPTURE_FAILED', async () => {
    const sent = request('capturefailed-1');
    await providerFor().capture(sent);
    await receiver.waitFor((u) => u.captureId === sent.captureId && u.outcome.status === 'failed', 5_000);
    expect(updatesOf(sent.captureId).map((u) => [u.eventId.split(':')[0], u.outcome.status])).toEqual([
      ['CAPTURE', 'succeeded'],
      ['CAPTURE_FAILED', 'failed'],
    ]);
  });

  it('reads a refused key as provider_auth_failed, and keeps every secret out of outcomes, updates and log lines', async () => {
    const wrong = 'AQE_wrong_key_0123456789';
    const outcome = await providerFor(2_000, { apiKey: wrong }).capture(request('8835511210681703'));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
    const everything = [JSON.stringify(outcome), JSON.stringify(receiver.updates), ...logger.lines].join('\n');
    for (const secret of [wrong, sandbox.accountSettings.apiKey, sandbox.accountSettings.hmacKey]) expect(everything).not.toContain(secret);
  });

  it('declares what the service relies on: idempotent captures for 7 days, several captures, no status check, Adyen’s exponents', () => {
    expect(adyenPlugin.capabilities).toMatchObject({
      idempotentCapture: { windowSeconds: 604_800 },
      statusCheck: false,
      multipleCaptures: true,
      partialCapture: true,
      captureWithoutAmount: false,
      webhooks: true,
    });
    expect(providerFor().checkCapture).toBeUndefined();
    expect(adyenPlugin.minorUnits).toEqual({ CLP: 2, CVE: 0, IDR: 0, ISK: 2 });
  });

  it.each([
    ['an HMAC key that is not hex', { hmacKey: 'not-a-hex-key-0123456789abcdef' }, 'hmacKey'],
    ['a rotation key that is not hex', { hmacKeys: ['00'.repeat(32), 'zz'.repeat(32)] }, 'hmacKeys'],
    ['a merchant account with a space', { merchantAccount: 'Shop ECOM' }, 'merchantAccount'],
    ['a misspelt field', { merchantAcount: 'ShopECOM' }, ''],
    ['plain http to another host', { baseUrl: 'http://checkout-test.adyen.com' }, 'baseUrl'],
  ])('refuses at start-up a config with %s', (_, settings, field) => {
    const parsed = adyenPlugin.configSchema.safeParse({ ...sandbox.accountSettings, ...settings });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.') ?? '').toContain(field);
  });
});
