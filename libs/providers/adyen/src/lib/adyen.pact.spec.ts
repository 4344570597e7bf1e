import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import type { ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { clearPactFile, createMemoryLogger, pactsDir } from '@capture-gateway/plugin-sdk/testing';
import { adyenPlugin } from './adyen.plugin';

const { regex, string } = MatchersV3;
const consumer = 'capture-gateway';
const provider = 'adyen';

// Pact merges into an existing file: start from nothing so the file is exactly these interactions.
clearPactFile(consumer, provider);
const pact = new PactV4({ consumer, provider, dir: pactsDir(), logLevel: 'warn' });

// The sandbox's documented key and merchant account are the examples; the contract asks only for a key.
const API_KEY = 'AQE_sandbox_capture_gateway_0123456789';
const WRONG_KEY = 'AQE_not_the_key_0123456789';
const MERCHANT = 'CaptureGatewayECOM';
const PAYMENT = '9913140798220028';
const CAPTURE = 'QFQTPCQ8HXSKGK82';
const CAPTURE_ID = 'cap_pact00000001';
const capturePath = `/v71/payments/${PAYMENT}/captures`;
const authorised = (value: number, currency = 'EUR') => ({ paymentPspReference: PAYMENT, value, currency });

type Builder = { headers(headers: object): { jsonBody(body: unknown): unknown } };
const requestOf =
  (value: number, currency = 'EUR', { key = API_KEY, merchantAccount = MERCHANT } = {}) =>
  (b: Builder) =>
    b
      .headers({
        'x-api-key': regex('^\\S{8,}$', key),
        'idempotency-key': `capture-gateway-${CAPTURE_ID}`,
        // The content type comes with the JSON body.
      })
      .jsonBody({ merchantAccount, amount: { value, currency }, reference: CAPTURE_ID });
const json = (body: unknown) => (b: { jsonBody(body: unknown): unknown }) => b.jsonBody(body);

/** Only what the mapper reads of `PaymentCaptureResponse`, and the fields Adyen echoes. */
const receivedBody = (value: number, currency = 'EUR') => ({
  merchantAccount: MERCHANT,
  paymentPspReference: PAYMENT,
  reference: CAPTURE_ID,
  pspReference: regex('^[0-9A-Z]{16}$', CAPTURE),
  status: 'received',
  amount: { value, currency },
});
const serviceError = (status: number, errorCode: string, errorType: string) => ({
  status,
  errorCode,
  message: string('Adyen says why'),
  errorType,
});

const capture = (amount: number, currency = 'EUR'): ProviderCaptureRequest<undefined> => ({
  captureId: CAPTURE_ID,
  authorisationId: PAYMENT,
  amount: { amount, currency },
  options: undefined,
});

/** The real plugin, as the service would build it, pointed at Pact's mock server. */
function providerAt(baseUrl: string, { apiKey = API_KEY, merchantAccount = MERCHANT } = {}) {
  const logger = createMemoryLogger();
  const config = adyenPlugin.configSchema.parse({ baseUrl, apiKey, merchantAccount });
  return { logger, provider: adyenPlugin.create(config, { accountId: 'pact', logger, timeoutMs: 5_000 }) };
}
const pending = { status: 'pending', references: { captureId: CAPTURE, other: { paymentPspReference: PAYMENT } } };

describe('Adyen Checkout API v71 captures (consumer contract)', () => {
  it('sends a capture of 150.00 EUR, answered received: pending until its notification', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', authorised(15_000))
      .uponReceiving('a capture of 150.00 EUR')
      .withRequest('POST', capturePath, requestOf(15_000))
      .willRespondWith(201, json(receivedBody(15_000)))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toEqual(pending);
      }));

  it('sends a partial capture, the rest left for another where the account allows several', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', authorised(15_000))
      .uponReceiving('a partial capture of 50.00 EUR')
      .withRequest('POST', capturePath, requestOf(5_000))
      .willRespondWith(201, json(receivedBody(5_000)))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture({ ...capture(5_000), final: false })).toEqual(pending);
      }));

  it('writes ISK with Adyen’s two decimals, though ISO gives it none (1500 ISK is 150000)', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', authorised(150_000, 'ISK'))
      .uponReceiving('a capture of 1500 ISK')
      .withRequest('POST', capturePath, requestOf(150_000, 'ISK'))
      .willRespondWith(201, json(receivedBody(150_000, 'ISK')))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(1_500, 'ISK'))).toEqual(pending);
      }));

  it('reports a key Adyen refuses (401 000) as provider_auth_failed, without the key anywhere', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', authorised(15_000))
      .uponReceiving('a capture with a key Adyen does not accept')
      .withRequest('POST', capturePath, requestOf(15_000, 'EUR', { key: WRONG_KEY }))
      .willRespondWith(401, json(serviceError(401, '000', 'security')))
      .executeTest(async (mock) => {
        const { provider: adyen, logger } = providerAt(mock.url, { apiKey: WRONG_KEY });
        const result = await adyen.capture(capture(15_000));
        expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed', provider: { code: '000' } } });
        expect([JSON.stringify(result), ...logger.lines].join('\n')).not.toContain(WRONG_KEY);
      }));

  it('reports a merchant account the key may not use (403 901) as provider_auth_failed', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', authorised(15_000))
      .uponReceiving('a capture for another merchant account')
      .withRequest('POST', capturePath, requestOf(15_000, 'EUR', { merchantAccount: 'SomeoneElseECOM' }))
      .willRespondWith(403, json(serviceError(403, '901', 'security')))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url, { merchantAccount: 'SomeoneElseECOM' }).provider.capture(capture(15_000))).toMatchObject({
          status: 'failed',
          error: { code: 'provider_auth_failed', provider: { code: '901' } },
        });
      }));

  it('reports a payment Adyen does not know (422 167) as authorisation_not_found', () =>
    pact
      .addInteraction()
      .given('no payment has the pspReference', { paymentPspReference: PAYMENT })
      .uponReceiving('a capture of an unknown payment')
      .withRequest('POST', capturePath, requestOf(15_000))
      .willRespondWith(422, json(serviceError(422, '167', 'validation')))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toMatchObject({
          status: 'failed',
          error: { code: 'authorisation_not_found', provider: { code: '167' } },
        });
      }));

  it('reports an earlier attempt with the same key still in progress (422 704) as unknown: it may have captured', () =>
    pact
      .addInteraction()
      .given('a capture with the idempotency key is in progress', {
        ...authorised(15_000),
        idempotencyKey: `capture-gateway-${CAPTURE_ID}`,
      })
      .uponReceiving('a capture sent again while its first attempt is in progress')
      .withRequest('POST', capturePath, requestOf(15_000))
      .willRespondWith(422, json(serviceError(422, '704', 'validation')))
      .executeTest(async (mock) => {
        expect(await providerAt(mock.url).provider.capture(capture(15_000))).toMatchObject({
          status: 'unknown',
          error: { code: 'provider_unavailable', provider: { code: '704' } },
        });
      }));
});
