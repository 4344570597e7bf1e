import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import type { CaptureCheckRequest, ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { clearPactFile, createMemoryLogger, pactsDir } from '@capture-gateway/plugin-sdk/testing';
import { stripePlugin } from './stripe.plugin';

const { integer, regex, string } = MatchersV3;
const consumer = 'capture-gateway';
const provider = 'stripe';

// Pact merges into an existing file: start from nothing so the file is exactly these interactions.
clearPactFile(consumer, provider);
const pact = new PactV4({ consumer, provider, dir: pactsDir(), logLevel: 'warn' });

// The sandbox's documented key is the example; the contract asks only for "Bearer sk_…".
const SECRET_KEY = 'sk_test_sandbox0123456789abcdef';
const WRONG_KEY = 'sk_test_notthekey0123456789';
const INTENT = 'pi_3PactIntent0000000001';
const CHARGE = 'ch_3PactCharge0000000001';
const CAPTURE_ID = 'cap_pact00000001';
const capturePath = `/v1/payment_intents/${INTENT}/capture`;
const authorised = (amount: number, currency = 'usd') => ({ intentId: INTENT, amount, currency });

type Builder = { headers(headers: object): unknown };
const FORM = 'application/x-www-form-urlencoded';
/**
 * A form body, matched by its parameters. The builder's `body()` takes bytes and adds a content-type
 * rule that pact-core then applies to each form field; the interaction's own text body does not.
 */
const formBody = (b: Builder, body: string) =>
  (b as unknown as { interaction: { withRequestBody(body: string, contentType: string): void } }).interaction.withRequestBody(body, FORM);
const requestHeaders = (key = SECRET_KEY) => ({
  authorization: regex('^Bearer (sk|rk)_(test|live)_\\S+$', `Bearer ${key}`),
  'stripe-version': '2026-10-28.endive',
  'idempotency-key': `capture-gateway-${CAPTURE_ID}`,
  // The content type comes with the form body.
});
const form =
  (body: string, key = SECRET_KEY) =>
  (b: Builder) => {
    b.headers(requestHeaders(key));
    formBody(b, body);
  };
const metadataField = `metadata[capture_gateway_capture_id]=${CAPTURE_ID}`;
const json = (body: unknown) => (b: { headers(h: object): { jsonBody(body: unknown): unknown } }) =>
  b.headers({ 'content-type': 'application/json' }).jsonBody(body);

/** Only what the mapper reads of a PaymentIntent. */
const intentBody = (status: string, amountReceived: number, currency = 'usd') => ({
  id: INTENT,
  object: 'payment_intent',
  status,
  amount: integer(15_000),
  amount_received: integer(amountReceived),
  currency,
  latest_charge: string(CHARGE),
});
const errorBody = (type: string, code?: string, extra: Record<string, unknown> = {}) => ({
  error: { type, ...(code ? { code } : {}), message: string('Stripe says why'), ...extra },
});

const capture = (
  amount?: number,
  extra: Partial<ProviderCaptureRequest<undefined>> = {},
  currency = 'USD',
): ProviderCaptureRequest<undefined> => ({
  captureId: CAPTURE_ID,
  authorisationId: INTENT,
  ...(amount !== undefined ? { amount: { amount, currency } } : {}),
  options: undefined,
  ...extra,
});
const check: CaptureCheckRequest = { captureId: CAPTURE_ID, authorisationId: INTENT, amount: { amount: 15_000, currency: 'USD' } };

/** The real plugin, as the service would build it, pointed at Pact's mock server. */
function providerAt(baseUrl: string, secretKey = SECRET_KEY) {
  const logger = createMemoryLogger();
  const config = stripePlugin.configSchema.parse({ baseUrl, secretKey });
  return { logger, provider: stripePlugin.create(config, { accountId: 'pact', logger, timeoutMs: 5_000 }) };
}
/** A capture read from a succeeded PaymentIntent, which takes no more captures. */
const succeeded = (amount: number, currency = 'USD') => ({
  status: 'succeeded',
  capturedAmount: { amount, currency },
  references: { captureId: CHARGE, other: { payment_intent: INTENT } },
  authorisationClosed: true,
});

describe('Stripe PaymentIntents API (consumer contract)', () => {
  it('captures an amount of a PaymentIntent awaiting capture', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture', authorised(15_000))
      .uponReceiving('a capture of 150.00 USD')
      .withRequest('POST', capturePath, form(`amount_to_capture=15000&${metadataField}`))
      .willRespondWith(200, json(intentBody('succeeded', 15_000)))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toEqual(succeeded(15_000));
      }));

  it('captures everything capturable when no amount is sent', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture', authorised(15_000))
      .uponReceiving('a capture without an amount')
      .withRequest('POST', capturePath, form(metadataField))
      .willRespondWith(200, json(intentBody('succeeded', 15_000)))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture())).toEqual(succeeded(15_000));
      }));

  it('captures a zero-decimal currency in its own units (¥1500 is 1500)', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture', authorised(1_500, 'jpy'))
      .uponReceiving('a capture of 1500 JPY')
      .withRequest('POST', capturePath, form(`amount_to_capture=1500&${metadataField}`))
      .willRespondWith(200, json(intentBody('succeeded', 1_500, 'jpy')))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(1_500, {}, 'JPY'))).toEqual(succeeded(1_500, 'JPY'));
      }));

  it('keeps the rest open for a later capture when the request is not final', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture', authorised(15_000))
      .uponReceiving('a non-final capture of 50.00 USD')
      .withRequest(
        'POST',
        capturePath,
        form(`amount_to_capture=5000&${metadataField}&metadata[capture_gateway_multicapture]=true&final_capture=false`),
      )
      .willRespondWith(200, json(intentBody('requires_capture', 5_000)))
      .executeTest(async (mock) => {
        const { authorisationClosed: _open, ...open } = succeeded(5_000);
        expect(await providerAt(mock.url).provider.capture(capture(5_000, { final: false }))).toEqual(open);
      }));

  it('reports a card error (402) as a decline, with Stripe’s code and decline code', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture and its card declines', authorised(15_000))
      .uponReceiving('a capture that the card declines')
      .withRequest('POST', capturePath, form(`amount_to_capture=15000&${metadataField}`))
      .willRespondWith(402, json(errorBody('card_error', 'card_declined', { decline_code: 'generic_decline' })))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toMatchObject({
          status: 'failed',
          error: { code: 'provider_declined', provider: { code: 'card_declined', message: expect.stringContaining('generic_decline') } },
        });
      }));

  it('reports a PaymentIntent already captured (400 unexpected state) as already_captured, its status said', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent is already captured', authorised(15_000))
      .uponReceiving('a capture of a PaymentIntent that succeeded already')
      .withRequest('POST', capturePath, form(`amount_to_capture=15000&${metadataField}`))
      .willRespondWith(
        400,
        json(
          errorBody('invalid_request_error', 'payment_intent_unexpected_state', { payment_intent: { id: INTENT, status: 'succeeded' } }),
        ),
      )
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toMatchObject({
          status: 'failed',
          error: {
            code: 'already_captured',
            provider: { code: 'payment_intent_unexpected_state', message: expect.stringContaining('succeeded') },
          },
        });
      }));

  it('reports a key Stripe refuses (401) as provider_auth_failed, without the key anywhere', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture', authorised(15_000))
      .uponReceiving('a capture with a key Stripe does not accept')
      .withRequest('POST', capturePath, form(`amount_to_capture=15000&${metadataField}`, WRONG_KEY))
      .willRespondWith(401, json(errorBody('invalid_request_error')))
      .executeTest(async (mock) => {
        const { provider: stripe, logger } = providerAt(mock.url, WRONG_KEY);
        const result = await stripe.capture(capture(15_000));
        expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
        expect([JSON.stringify(result), ...logger.lines].join('\n')).not.toContain(WRONG_KEY);
      }));

  it('reports a PaymentIntent Stripe does not know (404 resource_missing) as authorisation_not_found', () =>
    pact
      .addInteraction()
      .given('no PaymentIntent has the id', { intentId: INTENT })
      .uponReceiving('a capture of an unknown PaymentIntent')
      .withRequest('POST', capturePath, form(`amount_to_capture=15000&${metadataField}`))
      .willRespondWith(404, json(errorBody('invalid_request_error', 'resource_missing')))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toMatchObject({
          status: 'failed',
          error: { code: 'authorisation_not_found', provider: { code: 'resource_missing' } },
        });
      }));

  it('checks a capture in doubt: a succeeded PaymentIntent is found, for what it received', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent is already captured', authorised(15_000))
      .uponReceiving('a retrieval of a captured PaymentIntent')
      .withRequest('GET', `/v1/payment_intents/${INTENT}`, (b) =>
        b.headers({
          authorization: regex('^Bearer (sk|rk)_(test|live)_\\S+$', `Bearer ${SECRET_KEY}`),
          'stripe-version': '2026-10-28.endive',
        }),
      )
      .willRespondWith(200, json(intentBody('succeeded', 15_000)))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.checkCapture?.(check)).toEqual({ status: 'found', outcome: succeeded(15_000) });
      }));

  it('checks a capture in doubt: a PaymentIntent still awaiting capture, nothing received, never got it', () =>
    pact
      .addInteraction()
      .given('a PaymentIntent requires capture', authorised(15_000))
      .uponReceiving('a retrieval of a PaymentIntent awaiting capture')
      .withRequest('GET', `/v1/payment_intents/${INTENT}`, (b) =>
        b.headers({
          authorization: regex('^Bearer (sk|rk)_(test|live)_\\S+$', `Bearer ${SECRET_KEY}`),
          'stripe-version': '2026-10-28.endive',
        }),
      )
      .willRespondWith(200, json({ ...intentBody('requires_capture', 0), last_payment_error: null }))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.checkCapture?.(check)).toMatchObject({ status: 'not_received' });
      }));
});
