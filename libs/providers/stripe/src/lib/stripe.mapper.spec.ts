import { moneyConversions } from '@capture-gateway/domain';
import type { ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { type ScriptedProvider, startScriptedProvider } from '@capture-gateway/plugin-sdk/testing';
import { STRIPE_MINOR_UNITS, toStripeAmount } from './stripe.currencies';
import { toWire } from './stripe.mapper';
import { stripePlugin } from './stripe.plugin';

const money = moneyConversions(STRIPE_MINOR_UNITS);
const request = (
  amount?: number,
  currency = 'USD',
  extra: Partial<ProviderCaptureRequest<undefined>> = {},
): ProviderCaptureRequest<undefined> => ({
  captureId: 'cap_map0001',
  authorisationId: 'pi_3Map0001',
  ...(amount !== undefined ? { amount: { amount, currency } } : {}),
  options: undefined,
  ...extra,
});
const intent = (status: string, received: number, currency = 'usd') => ({
  id: 'pi_3Map0001',
  object: 'payment_intent',
  status,
  amount: 15_000,
  amount_received: received,
  currency,
  latest_charge: 'ch_3Map0001',
});
const stripeError = (type: string, code?: string, extra: Record<string, unknown> = {}) => ({
  error: { type, ...(code ? { code } : {}), message: 'Stripe says', ...extra },
});

describe('Stripe amounts: its zero- and three-decimal currencies and special cases', () => {
  it.each([
    [15_000, 'USD', 15_000],
    [1_500, 'JPY', 1_500],
    [1_500, 'KRW', 1_500],
    // MGA has two decimals in ISO 4217 and none at Stripe.
    [150_000, 'MGA', 1_500],
    // ISK has none in ISO 4217; Stripe still takes it two-decimal, in multiples of 100.
    [1_500, 'ISK', 150_000],
    [5_120, 'KWD', 5_120],
    [99_999_999, 'USD', 99_999_999],
  ])('writes %i %s minor units as %i', (amount, currency, units) => {
    expect(toStripeAmount({ amount, currency }, money)).toBe(units);
  });

  it.each([
    ['more precision than Stripe writes', 150_050, 'MGA', 'cannot be written'],
    ['a three-decimal amount whose last digit is not 0', 5_124, 'KWD', 'last digit is 0'],
    ['more than eight digits', 100_000_000, 'USD', 'eight digits'],
  ])('refuses %s before sending', (_, amount, currency, words) => {
    expect(() => toStripeAmount({ amount, currency }, money)).toThrow(words);
  });

  it('reads a zero-decimal and an ISK answer back into ISO minor units', async () => {
    const scripted = await startScriptedProvider(stripePlugin, (baseUrl) => ({ baseUrl, secretKey: 'sk_test_mapper0123456789' }));
    try {
      expect(await scripted.answer({ status: 200, json: intent('succeeded', 150_000, 'isk') }, request(1_500, 'ISK'))).toMatchObject({
        status: 'succeeded',
        capturedAmount: { amount: 1_500, currency: 'ISK' },
      });
      expect(await scripted.answer({ status: 200, json: intent('succeeded', 1_500, 'mga') }, request(150_000, 'MGA'))).toMatchObject({
        status: 'succeeded',
        capturedAmount: { amount: 150_000, currency: 'MGA' },
      });
    } finally {
      await scripted.close();
    }
  });
});

describe('toWire', () => {
  it('sends the amount, our capture id in metadata beside the request’s, and final_capture only when not final', () => {
    expect(toWire(request(1_500, 'JPY', { metadata: { order: '1001' } }), { money })).toEqual({
      amount_to_capture: 1_500,
      metadata: { order: '1001', capture_gateway_capture_id: 'cap_map0001' },
    });
    expect(toWire(request(undefined, 'USD', { final: false }), { money })).toEqual({
      metadata: { capture_gateway_capture_id: 'cap_map0001', capture_gateway_multicapture: 'true' },
      final_capture: false,
    });
    expect(toWire(request(100, 'USD', { final: true }), { money })).not.toHaveProperty('final_capture');
  });

  it.each([
    ['a key with brackets', { 'a[b]': 'x' }],
    ['a key longer than 40 characters', { ['k'.repeat(41)]: 'x' }],
    ['a value longer than 500 characters', { k: 'v'.repeat(501) }],
    ['more than 49 keys of its own', Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']))],
  ])('refuses metadata with %s', (_, metadata) => {
    expect(() => toWire(request(100, 'USD', { metadata }), { money })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'metadata' }),
    );
  });
});

describe('Stripe answers, through the real skeleton', () => {
  let scripted: ScriptedProvider;
  beforeAll(async () => {
    scripted = await startScriptedProvider(stripePlugin, (baseUrl) => ({ baseUrl, secretKey: 'sk_test_mapper0123456789' }));
  });
  afterAll(() => scripted.close());

  it('reads succeeded, a non-final requires_capture and processing', async () => {
    expect(await scripted.answer({ status: 200, json: intent('succeeded', 15_000) }, request(15_000))).toMatchObject({
      status: 'succeeded',
      references: { captureId: 'ch_3Map0001', other: { payment_intent: 'pi_3Map0001' } },
    });
    expect(
      await scripted.answer({ status: 200, json: intent('requires_capture', 5_000) }, request(5_000, 'USD', { final: false })),
    ).toMatchObject({
      status: 'succeeded',
      capturedAmount: { amount: 5_000, currency: 'USD' },
    });
    expect(await scripted.answer({ status: 200, json: intent('processing', 0) }, request(15_000))).toMatchObject({ status: 'pending' });
  });

  it('once a capture was not final, reads the amount asked, never the intent’s running total; succeeded closes it', async () => {
    const multi = { metadata: { capture_gateway_capture_id: 'cap_map0001', capture_gateway_multicapture: 'true' } };
    // 30.00 then 50.00 captured before: the intent received 100.00, of which 20.00 is this final capture.
    const final = await scripted.answer({ status: 200, json: { ...intent('succeeded', 10_000), ...multi } }, request(2_000));
    expect(final).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 2_000, currency: 'USD' }, authorisationClosed: true });
    const second = await scripted.answer(
      { status: 200, json: { ...intent('requires_capture', 8_000), ...multi } },
      request(5_000, 'USD', { final: false }),
    );
    expect(second).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 5_000, currency: 'USD' } });
    expect(second).not.toHaveProperty('authorisationClosed');
  });

  it.each([
    ['a 200 whose status is not one a capture leaves', { status: 200, json: intent('requires_payment_method', 0) }],
    ['a 200 requires_capture with nothing received', { status: 200, json: intent('requires_capture', 0) }],
    [
      'a 200 that is not JSON',
      { status: 200, text: 'amount_received=15000', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    ],
    ['an HTML error page', { status: 400, text: '<html><body>400 Bad Request</body></html>', headers: { 'content-type': 'text/html' } }],
    ['a 403 that is not Stripe’s error object', { status: 403, json: { message: 'Forbidden by the firewall' } }],
  ])('takes %s for provider_response_invalid, unknown, never a success', async (_, reply) => {
    expect(await scripted.answer(reply, request(15_000))).toMatchObject({
      status: 'unknown',
      error: { code: 'provider_response_invalid' },
    });
  });

  it('reads a success for another amount or currency than asked as unknown, never a silent success', async () => {
    expect(await scripted.answer({ status: 200, json: intent('succeeded', 14_000) }, request(15_000))).toMatchObject({
      status: 'unknown',
      error: { code: 'amount_mismatch' },
    });
    expect(await scripted.answer({ status: 200, json: intent('succeeded', 15_000, 'eur') }, request(15_000))).toMatchObject({
      status: 'unknown',
      error: { code: 'currency_mismatch' },
    });
  });

  it.each([
    [402, stripeError('card_error', 'card_declined', { decline_code: 'insufficient_funds' }), 'failed', 'provider_declined'],
    [
      400,
      stripeError('invalid_request_error', 'payment_intent_unexpected_state', { payment_intent: { status: 'succeeded' } }),
      'failed',
      'already_captured',
    ],
    [
      400,
      stripeError('invalid_request_error', 'payment_intent_unexpected_state', { payment_intent: { status: 'canceled' } }),
      'failed',
      'authorisation_not_found',
    ],
    [400, stripeError('invalid_request_error', 'amount_too_large'), 'failed', 'amount_exceeds_authorised'],
    [400, stripeError('invalid_request_error', 'charge_expired_for_capture'), 'failed', 'authorisation_not_found'],
    [400, stripeError('idempotency_error'), 'failed', 'internal_error'],
    [401, stripeError('invalid_request_error'), 'failed', 'provider_auth_failed'],
    [404, stripeError('invalid_request_error', 'resource_missing'), 'failed', 'authorisation_not_found'],
    // Rate limiters run before the idempotency layer: a 429 was refused before anything was processed.
    [429, stripeError('invalid_request_error', 'rate_limit'), 'failed', 'provider_unavailable'],
    [429, stripeError('invalid_request_error', 'lock_timeout'), 'failed', 'provider_unavailable'],
    // A 5xx "may have processed": whatever its body says, money may have moved.
    [500, stripeError('api_error'), 'unknown', 'provider_unavailable'],
    [503, { error: { type: 'api_error', code: 'card_declined' } }, 'unknown', 'provider_unavailable'],
  ])('reads HTTP %i %j as %s %s', async (status, json, outcome, code) => {
    expect(await scripted.answer({ status, json }, request(15_000))).toMatchObject({ status: outcome, error: { code } });
  });

  it('puts the intent’s status in the message of an unexpected state', async () => {
    const json = stripeError('invalid_request_error', 'payment_intent_unexpected_state', { payment_intent: { status: 'canceled' } });
    expect(await scripted.answer({ status: 400, json }, request(15_000))).toMatchObject({
      error: { provider: { message: expect.stringContaining('the PaymentIntent is canceled') } },
    });
  });

  it('refuses an intent id with a slash or a space before sending anything', async () => {
    const before = scripted.received.length;
    for (const id of ['pi_1/refunds', 'pi_1 2', '']) {
      expect(
        await scripted.answer({ status: 200, json: intent('succeeded', 15_000) }, { ...request(15_000), authorisationId: id }),
      ).toMatchObject({
        status: 'failed',
        error: { code: 'invalid_request', message: expect.stringContaining('authorisationId') },
      });
    }
    expect(scripted.received.length).toBe(before);
  });
});

describe('Stripe status reads, through the real skeleton', () => {
  let scripted: ScriptedProvider;
  beforeAll(async () => {
    scripted = await startScriptedProvider(stripePlugin, (baseUrl) => ({ baseUrl, secretKey: 'sk_test_mapper0123456789' }));
  });
  afterAll(() => scripted.close());
  const check = { captureId: 'cap_map0001', authorisationId: 'pi_3Map0001', amount: { amount: 15_000, currency: 'USD' } };

  it.each([
    ['succeeded', { ...intent('succeeded', 15_000) }, { status: 'found', outcome: { status: 'succeeded' } }],
    ['requires_capture, nothing received', { ...intent('requires_capture', 0), last_payment_error: null }, { status: 'not_received' }],
    [
      'requires_capture after a failed attempt',
      { ...intent('requires_capture', 0), last_payment_error: { type: 'card_error', code: 'card_declined' } },
      { status: 'cannot_tell' },
    ],
    ['requires_capture, part received', intent('requires_capture', 5_000), { status: 'cannot_tell' }],
    ['processing', intent('processing', 0), { status: 'cannot_tell' }],
    [
      'canceled',
      { ...intent('canceled', 0), cancellation_reason: 'expired' },
      { status: 'found', outcome: { status: 'failed', error: { code: 'authorisation_not_found' } } },
    ],
    [
      'requires_payment_method',
      intent('requires_payment_method', 0),
      { status: 'found', outcome: { status: 'failed', error: { code: 'authorisation_not_found' } } },
    ],
  ])('reads a PaymentIntent %s', async (_, json, expected) => {
    expect(await scripted.check({ status: 200, json }, check)).toMatchObject(expected);
    expect(scripted.received.at(-1)).toBe('GET /v1/payment_intents/pi_3Map0001');
  });

  it('reads a 404 resource_missing as not received, a bare 404 or a 5xx as cannot tell', async () => {
    expect(await scripted.check({ status: 404, json: stripeError('invalid_request_error', 'resource_missing') }, check)).toMatchObject({
      status: 'not_received',
    });
    expect(await scripted.check({ status: 404, text: 'Not Found' }, check)).toMatchObject({ status: 'cannot_tell' });
    expect(await scripted.check({ status: 500, json: stripeError('api_error') }, check)).toMatchObject({ status: 'cannot_tell' });
  });
});
