import { WebhookRejectedError } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger } from '@capture-gateway/plugin-sdk/testing';
import Stripe from 'stripe';
import { signStripeWebhook } from '../sandbox/stripe.sandbox.signer';
import { eventObject, paymentIntentObject } from '../sandbox/stripe.sandbox.payloads';
import { stripePlugin } from './stripe.plugin';

// The official library, as an oracle only: it signs as Stripe signs and verifies as Stripe's users do.
const official = new Stripe('sk_test_oracle_only_never_used');
const SECRET = 'whsec_test0123456789abcdefghij';
const OLD_SECRET = 'whsec_old0123456789abcdefghij';
const NOW = new Date('2026-12-05T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

const provider = (config: Record<string, unknown> = {}) =>
  stripePlugin.create(stripePlugin.configSchema.parse({ secretKey: 'sk_test_webhook0123456789', webhookSecret: SECRET, ...config }), {
    accountId: 'stripe-test',
    logger: createMemoryLogger(),
    timeoutMs: 1_000,
  });
async function handle(raw: string, header: string | undefined, config?: Record<string, unknown>, receivedAt = NOW) {
  const { handleWebhook } = provider(config);
  if (!handleWebhook) throw new Error('the Stripe plugin has no handleWebhook');
  return handleWebhook({ headers: header === undefined ? {} : { 'Stripe-Signature': header }, rawBody: Buffer.from(raw), receivedAt });
}
const intent = (overrides: Partial<Parameters<typeof paymentIntentObject>[0]> = {}) =>
  paymentIntentObject({
    id: 'pi_3Web0001',
    amount: 15_000,
    amountReceived: 15_000,
    currency: 'usd',
    status: 'succeeded',
    latestCharge: 'ch_3Web0001',
    lastPaymentError: null,
    metadata: { capture_gateway_capture_id: 'cap_web0001' },
    created: T,
    ...overrides,
  });
const event = (type: string, object: Record<string, unknown>) => JSON.stringify({ ...eventObject(type, object, T), id: 'evt_web0001' });

describe('Stripe webhooks', () => {
  it('settles the capture a signed payment_intent.succeeded names, by our capture id and the charge', async () => {
    const raw = event('payment_intent.succeeded', intent());
    expect(await handle(raw, signStripeWebhook(raw, SECRET, T))).toEqual([
      {
        eventId: 'evt_web0001',
        authorisationId: 'pi_3Web0001',
        captureId: 'cap_web0001',
        providerCaptureId: 'ch_3Web0001',
        outcome: {
          status: 'succeeded',
          capturedAmount: { amount: 15_000, currency: 'USD' },
          references: { captureId: 'ch_3Web0001', other: { payment_intent: 'pi_3Web0001' } },
          authorisationClosed: true,
        },
      },
    ]);
  });

  it('gives no amount for an intent captured in parts: its total is no one capture’s', async () => {
    const metadata = { capture_gateway_capture_id: 'cap_web0001', capture_gateway_multicapture: 'true' };
    const raw = event('payment_intent.succeeded', intent({ metadata }));
    const updates = await handle(raw, signStripeWebhook(raw, SECRET, T));
    expect(updates).toMatchObject([{ captureId: 'cap_web0001', outcome: { status: 'succeeded', authorisationClosed: true } }]);
    expect(JSON.stringify(updates)).not.toContain('capturedAmount');
    const charge = {
      id: 'ch_3Web0001',
      object: 'charge',
      amount_captured: 8_000,
      currency: 'usd',
      captured: true,
      payment_intent: 'pi_3Web0001',
      metadata,
    };
    const chargeRaw = event('charge.captured', charge);
    const fromCharge = await handle(chargeRaw, signStripeWebhook(chargeRaw, SECRET, T));
    expect(fromCharge).toMatchObject([{ captureId: 'cap_web0001', outcome: { status: 'succeeded' } }]);
    expect(JSON.stringify(fromCharge)).not.toContain('capturedAmount');
  });

  it('accepts what the official stripe library signs (generateTestHeaderString), with several v1 during a rotation', async () => {
    const raw = event('payment_intent.succeeded', intent());
    const header = official.webhooks.generateTestHeaderString({ payload: raw, secret: SECRET, timestamp: T });
    expect(await handle(raw, header)).toHaveLength(1);
    const old = official.webhooks.generateTestHeaderString({ payload: raw, secret: OLD_SECRET, timestamp: T });
    const both = `${header},v1=${old.split('v1=')[1]}`;
    expect(await handle(raw, both, { webhookSecret: undefined, webhookSecrets: [OLD_SECRET] })).toHaveLength(1);
  });

  it('signs as Stripe does: the official constructEvent accepts the sandbox signer’s header', () => {
    const raw = event('charge.captured', { id: 'ch_1' });
    const header = signStripeWebhook(raw, SECRET);
    expect(official.webhooks.constructEvent(raw, header, SECRET).id).toBe('evt_web0001');
    expect(() => official.webhooks.constructEvent(raw, header, OLD_SECRET)).toThrow();
  });

  it.each([
    ['no header', undefined, 'missing_signature'],
    ['a header without v1', `t=${T}`, 'bad_signature'],
    ['another secret', 'other', 'bad_signature'],
    ['a tampered body', 'tampered', 'bad_signature'],
    ['a timestamp older than 5 minutes', 'stale', 'stale_timestamp'],
  ])('refuses a delivery with %s', async (_, kind, reason) => {
    const raw = event('payment_intent.succeeded', intent());
    const header =
      kind === 'other'
        ? signStripeWebhook(raw, OLD_SECRET, T)
        : kind === 'tampered'
          ? signStripeWebhook(raw.replace('15000', '15001'), SECRET, T)
          : kind === 'stale'
            ? signStripeWebhook(raw, SECRET, T - 301)
            : kind;
    const attempt = handle(raw, header);
    await expect(attempt).rejects.toBeInstanceOf(WebhookRejectedError);
    await expect(attempt).rejects.toMatchObject({ reason });
    await expect(attempt).rejects.not.toThrow(SECRET);
  });

  it('reads charge.captured: the charge names the capture, with the card’s brand and last four only', async () => {
    const charge = {
      id: 'ch_3Web0001',
      object: 'charge',
      amount_captured: 1_500,
      currency: 'jpy',
      captured: true,
      payment_intent: 'pi_3Web0001',
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    };
    const raw = event('charge.captured', charge);
    expect(await handle(raw, signStripeWebhook(raw, SECRET, T))).toMatchObject([
      {
        authorisationId: 'pi_3Web0001',
        providerCaptureId: 'ch_3Web0001',
        outcome: { status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'JPY' }, card: { brand: 'visa', last4: '4242' } },
      },
    ]);
  });

  it('fails a capture on payment_failed only when our capture wrote its id on the intent', async () => {
    const error = {
      type: 'card_error' as const,
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    };
    const ours = event(
      'payment_intent.payment_failed',
      intent({ status: 'requires_payment_method', amountReceived: 0, lastPaymentError: error }),
    );
    expect(await handle(ours, signStripeWebhook(ours, SECRET, T))).toMatchObject([
      {
        captureId: 'cap_web0001',
        outcome: { status: 'failed', error: { code: 'provider_declined', provider: { code: 'card_declined' } } },
      },
    ]);
    const earlier = event(
      'payment_intent.payment_failed',
      intent({ status: 'requires_payment_method', amountReceived: 0, lastPaymentError: error, metadata: {} }),
    );
    expect(await handle(earlier, signStripeWebhook(earlier, SECRET, T))).toEqual([]);
  });

  it('fails a capture of a canceled intent with nothing received as authorisation_not_found', async () => {
    const raw = event('payment_intent.canceled', intent({ status: 'canceled', amountReceived: 0 }));
    expect(await handle(raw, signStripeWebhook(raw, SECRET, T))).toMatchObject([
      { outcome: { status: 'failed', error: { code: 'authorisation_not_found', provider: { code: 'payment_intent_canceled' } } } },
    ]);
  });

  it('ignores event types that do not concern a capture: no update, no refusal', async () => {
    const raw = event('customer.created', { id: 'cus_1', object: 'customer' });
    expect(await handle(raw, signStripeWebhook(raw, SECRET, T))).toEqual([]);
  });

  it('refuses a signed event of a handled type that is not Stripe’s object, or not JSON', async () => {
    const raw = event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent', status: 'succeeded' });
    await expect(handle(raw, signStripeWebhook(raw, SECRET, T))).rejects.toMatchObject({ reason: 'malformed_body' });
    await expect(handle('not json', signStripeWebhook('not json', SECRET, T))).rejects.toMatchObject({ reason: 'malformed_body' });
  });

  it('refuses every delivery for an account without a signing secret', async () => {
    const raw = event('payment_intent.succeeded', intent());
    await expect(handle(raw, signStripeWebhook(raw, SECRET, T), { webhookSecret: undefined })).rejects.toMatchObject({
      reason: 'bad_signature',
    });
  });
});
