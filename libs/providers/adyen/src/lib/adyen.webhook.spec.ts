import { hmacValidator } from '@adyen/api-library';
import { type WebhookHandling, WebhookRejectedError, hmacSha256Base64, hmacKey } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger } from '@capture-gateway/plugin-sdk/testing';
import { type SandboxItem, notificationBatch, notificationItem, signAdyenItem } from '../sandbox';
import { adyenSigningString } from './adyen.hmac';
import { adyenPlugin } from './adyen.plugin';

// The official library, as an oracle only: it signs as Adyen signs and verifies as Adyen's users do.
const official = new hmacValidator();
const KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const OLD_KEY = '0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF';

const provider = (config: Record<string, unknown> = {}) =>
  adyenPlugin.create(
    adyenPlugin.configSchema.parse({
      baseUrl: 'https://checkout-test.adyen.com',
      apiKey: 'AQE_webhook_test_key_0123',
      merchantAccount: 'ShopECOM',
      hmacKey: KEY,
      ...config,
    }),
    { accountId: 'adyen-test', logger: createMemoryLogger(), timeoutMs: 1_000 },
  );
async function handle(raw: string, config?: Record<string, unknown>): Promise<WebhookHandling> {
  const { handleWebhook } = provider(config);
  if (!handleWebhook) throw new Error('the Adyen plugin has no handleWebhook');
  const result = await handleWebhook({
    headers: { 'content-type': 'application/json' },
    rawBody: Buffer.from(raw),
    receivedAt: new Date(),
  });
  if (Array.isArray(result)) throw new Error('the Adyen plugin must acknowledge with [accepted]');
  return result;
}
const item = (overrides: Partial<SandboxItem> = {}): SandboxItem => ({
  pspReference: 'QFQTPCQ8HXSKGK82',
  originalReference: '9913140798220028',
  merchantAccountCode: 'ShopECOM',
  merchantReference: 'cap_web0001',
  amount: { value: 1_000, currency: 'EUR' },
  eventCode: 'CAPTURE',
  success: 'true',
  ...overrides,
});
const batch = (items: SandboxItem[], { key = KEY, tamper = [] as number[] } = {}) =>
  JSON.stringify(notificationBatch(items.map((i, index) => notificationItem(i, key, { tamper: tamper.includes(index) }))));
const refusal = (attempt: Promise<unknown>) =>
  attempt.then(
    () => undefined,
    (error: unknown) => (error instanceof WebhookRejectedError ? { reason: error.reason, message: error.message } : error),
  );

describe('Adyen notifications', () => {
  it('settles the capture a signed CAPTURE names, by our capture id and its pspReference, and answers [accepted]', async () => {
    expect(await handle(batch([item()]))).toEqual({
      updates: [
        {
          eventId: 'CAPTURE:QFQTPCQ8HXSKGK82:true',
          authorisationId: '9913140798220028',
          captureId: 'cap_web0001',
          providerCaptureId: 'QFQTPCQ8HXSKGK82',
          outcome: {
            status: 'succeeded',
            capturedAmount: { amount: 1_000, currency: 'EUR' },
            references: { captureId: 'QFQTPCQ8HXSKGK82', other: { paymentPspReference: '9913140798220028' } },
          },
        },
      ],
      acknowledge: { status: 200, contentType: 'text/plain; charset=utf-8', body: '[accepted]' },
    });
  });

  it('accepts what the official library signs (calculateHmac), with a reference holding ":" and "\\", and during a rotation', async () => {
    const signed = { ...item({ merchantReference: 'cap:odd\\ref' }), additionalData: {} as Record<string, string> };
    signed.additionalData['hmacSignature'] = official.calculateHmac(signed as never, KEY);
    const raw = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: signed }] });
    expect((await handle(raw)).updates).toMatchObject([{ captureId: 'cap:odd\\ref' }]);
    expect((await handle(raw, { hmacKey: undefined, hmacKeys: [OLD_KEY, KEY] })).updates).toHaveLength(1);
    await expect(refusal(handle(raw, { hmacKey: OLD_KEY }))).resolves.toMatchObject({ reason: 'bad_signature' });
  });

  it('signs as Adyen does: the official validateHMAC accepts the sandbox signer’s and the plugin’s signatures', () => {
    const wrapped = notificationItem(item({ merchantReference: 'cap:odd\\ref' }), KEY).NotificationRequestItem;
    expect(official.validateHMAC(wrapped as never, KEY)).toBe(true);
    expect(official.validateHMAC(wrapped as never, OLD_KEY)).toBe(false);
    const ours = hmacSha256Base64(hmacKey(KEY, 'hex'), adyenSigningString(wrapped));
    expect(ours).toBe(signAdyenItem(item({ merchantReference: 'cap:odd\\ref' }), KEY));
    expect(official.getDataToSign(wrapped as never)).toBe(adyenSigningString(wrapped));
  });

  it('fails a capture on CAPTURE success "false", with Adyen’s reason', async () => {
    const { updates } = await handle(batch([item({ success: 'false', reason: 'Insufficient balance on payment' })]));
    expect(updates).toMatchObject([
      {
        eventId: 'CAPTURE:QFQTPCQ8HXSKGK82:false',
        captureId: 'cap_web0001',
        outcome: {
          status: 'failed',
          error: { code: 'provider_declined', provider: { code: 'CAPTURE', message: 'Insufficient balance on payment' } },
        },
      },
    ]);
  });

  it('fails a capture on CAPTURE_FAILED, as a report of its own: not a duplicate of the CAPTURE before it', async () => {
    const { updates } = await handle(batch([item(), item({ eventCode: 'CAPTURE_FAILED', reason: 'Capture Failed' })]));
    expect(updates.map((u) => [u.eventId, u.providerCaptureId, u.outcome.status])).toEqual([
      ['CAPTURE:QFQTPCQ8HXSKGK82:true', 'QFQTPCQ8HXSKGK82', 'succeeded'],
      ['CAPTURE_FAILED:QFQTPCQ8HXSKGK82:true', 'QFQTPCQ8HXSKGK82', 'failed'],
    ]);
    expect(updates[1]?.outcome).toMatchObject({ error: { code: 'provider_declined', provider: { code: 'CAPTURE_FAILED' } } });
  });

  it('leaves other event codes and items without our reference out, still answering [accepted]; they are authenticated all the same', async () => {
    const others = [
      item({ eventCode: 'AUTHORISATION', originalReference: undefined }),
      item({ eventCode: 'REFUND' }),
      item({ merchantReference: '' }),
    ];
    expect(await handle(batch(others))).toMatchObject({ updates: [], acknowledge: { body: '[accepted]' } });
    await expect(refusal(handle(batch(others, { tamper: [0] })))).resolves.toMatchObject({ reason: 'bad_signature' });
  });

  it('reads Adyen’s own exponents: 150000 CLP at Adyen is 1500 CLP in ISO minor units', async () => {
    const { updates } = await handle(batch([item({ amount: { value: 150_000, currency: 'CLP' } })]));
    expect(updates[0]?.outcome).toMatchObject({ capturedAmount: { amount: 1_500, currency: 'CLP' } });
    const odd = batch([item({ amount: { value: 150_050, currency: 'CLP' } })]);
    await expect(refusal(handle(odd))).resolves.toMatchObject({ reason: 'malformed_body' });
  });

  it('settles each item of a batch of two', async () => {
    const second = item({ pspReference: 'V4HZ4RBFJGXXGN82', merchantReference: 'cap_web0002', amount: { value: 250, currency: 'EUR' } });
    const { updates } = await handle(batch([item(), second]));
    expect(updates.map((u) => [u.captureId, u.outcome.status])).toEqual([
      ['cap_web0001', 'succeeded'],
      ['cap_web0002', 'succeeded'],
    ]);
  });

  it('refuses the whole batch when one item is tampered with, naming the item: nothing of it is applied', async () => {
    const second = item({ pspReference: 'V4HZ4RBFJGXXGN82', merchantReference: 'cap_web0002' });
    await expect(refusal(handle(batch([item(), second], { tamper: [1] })))).resolves.toEqual({
      reason: 'bad_signature',
      message: "Item 1 of the batch is not signed with any of the account's HMAC keys",
    });
  });

  it.each([
    ['an item without its signature', () => batch([item()]).replace(/"hmacSignature":"[^"]+"/, '"hmacSignature":""'), 'missing_signature'],
    ['an item signed with another key', () => batch([item()], { key: OLD_KEY }), 'bad_signature'],
    [
      'a signed item whose pspReference was changed',
      () => batch([item()]).replace('QFQTPCQ8HXSKGK82', 'QFQTPCQ8HXSKGK83'),
      'bad_signature',
    ],
    ['a body that is not JSON', () => 'not json', 'malformed_body'],
    ['JSON that is not a batch', () => JSON.stringify({ notificationItems: [] }), 'malformed_body'],
    ['a signed capture without its originalReference', () => batch([item({ originalReference: undefined })]), 'malformed_body'],
    ['a signed capture whose pspReference holds ":"', () => batch([item({ pspReference: 'A:B' })]), 'malformed_body'],
  ])('refuses %s', async (_, raw, reason) => {
    const refused = await refusal(handle(raw()));
    expect(refused).toMatchObject({ reason });
    expect(JSON.stringify(refused)).not.toContain(KEY);
  });

  it('refuses every notification for an account without an HMAC key', async () => {
    await expect(refusal(handle(batch([item()]), { hmacKey: undefined }))).resolves.toMatchObject({ reason: 'bad_signature' });
  });
});
