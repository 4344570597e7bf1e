import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import type { ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { clearPactFile, createMemoryLogger, pactsDir } from '@capture-gateway/plugin-sdk/testing';
import { payEnginePlugin } from './payengine.plugin';
import type { PayEngineCaptureOptions } from './payengine.config';

const { regex, string } = MatchersV3;
const consumer = 'capture-gateway';
const provider = 'payengine';

// Pact merges into an existing file: start from nothing so the file is exactly these interactions.
clearPactFile(consumer, provider);
const pact = new PactV4({ consumer, provider, dir: pactsDir(), logLevel: 'warn' });

// The sandbox's documented default key is the example; the contract itself only asks for "Basic <key>".
const SECRET_KEY = 'sandbox-secret-key';
const WRONG_KEY = 'not-the-secret-key';
const USD_AMOUNT = '^[0-9]{1,9}(\\.[0-9]{1,2})?$';
const PAYMENT_ID = '4126266e-7895-46ad-ae58-92620aa2befe';
const AUTHORISED = { paymentId: PAYMENT_ID, amount: '150.00', currency: 'USD' };

const requestHeaders = (key = SECRET_KEY) => ({
  authorization: regex('^Basic \\S+$', `Basic ${key}`),
  'content-type': 'application/json',
});
const usd = (example: string) => regex(USD_AMOUNT, example);

type Builder = { headers(headers: object): { jsonBody(body: unknown): unknown } };
/** The usual request: 150.00 USD of the authorised payment, with this key. */
const captureOf150 =
  (key = SECRET_KEY) =>
  (b: Builder) =>
    b.headers(requestHeaders(key)).jsonBody({ id: PAYMENT_ID, data: { transaction_amount: usd('150.00') } });
/** An answer as PayEngine sends it: JSON, declared so. */
const jsonAnswer = (body: unknown) => (b: Builder) => b.headers({ 'content-type': 'application/json' }).jsonBody(body);

/** Only what the mapper reads of a PASS answer. */
const passBody = (processed: string) => ({
  transaction_id: string('ca8c6e03-1699-4528-bb0c-5894e87ecf47'),
  capture_response: {
    status: 'PASS',
    auth_code: string('323072'),
    host_reference_number: string('325806055923'),
    task_id: string('95103204'),
    transaction_id: string('67868150'),
    processed_amount: usd(processed),
    masked_card_number: regex('[0-9]{4}$', '1111'),
  },
});

const expectedPass = (amount: number) => ({
  status: 'succeeded',
  capturedAmount: { amount, currency: 'USD' },
  references: {
    captureId: 'ca8c6e03-1699-4528-bb0c-5894e87ecf47',
    authCode: '323072',
    other: { host_reference_number: '325806055923', task_id: '95103204', processor_transaction_id: '67868150' },
  },
  card: { last4: '1111' },
});

const request = (amount?: number, options?: PayEngineCaptureOptions): ProviderCaptureRequest<PayEngineCaptureOptions> => ({
  captureId: 'cap_pact00000001',
  authorisationId: PAYMENT_ID,
  ...(amount !== undefined ? { amount: { amount, currency: 'USD' } } : {}),
  options,
});

/** The real plugin, as the service would build it, pointed at Pact's mock server. */
function capture(baseUrl: string, captureRequest: ProviderCaptureRequest<PayEngineCaptureOptions>, secretKey = SECRET_KEY) {
  const logger = createMemoryLogger();
  const config = payEnginePlugin.configSchema.parse({ baseUrl, secretKey });
  const outcome = payEnginePlugin.create(config, { accountId: 'pact', logger, timeoutMs: 5_000 }).capture(captureRequest, {});
  return outcome.then((result) => ({ result, logger }));
}

describe('PayEngine capture API (consumer contract)', () => {
  it('captures part or all of an authorisation for a given amount (PASS)', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', AUTHORISED)
      .uponReceiving('a capture of 150.00 USD')
      .withRequest('POST', '/api/payment/capture', captureOf150())
      .willRespondWith(200, jsonAnswer(passBody('150.00')))
      .executeTest(async (mock) => {
        const { result } = await capture(mock.url, request(15_000));
        expect(result).toEqual(expectedPass(15_000));
      }));

  it('captures everything authorised when no amount is sent (PASS)', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', AUTHORISED)
      .uponReceiving('a capture without an amount')
      .withRequest('POST', '/api/payment/capture', (b) => b.headers(requestHeaders()).jsonBody({ id: PAYMENT_ID, data: {} }))
      .willRespondWith(200, jsonAnswer(passBody('150.00')))
      .executeTest(async (mock) => {
        const { result } = await capture(mock.url, request());
        expect(result).toEqual(expectedPass(15_000));
      }));

  it("reports a decline (FAIL) with PayEngine's response code and message", () =>
    pact
      .addInteraction()
      .given('a payment is authorised and its capture will be declined', AUTHORISED)
      .uponReceiving('a capture that PayEngine declines')
      .withRequest('POST', '/api/payment/capture', captureOf150())
      .willRespondWith(
        200,
        jsonAnswer({
          transaction_id: string('ca8c6e03-1699-4528-bb0c-5894e87ecf47'),
          capture_response: { status: 'FAIL', response_code: string('D0005'), response_message: string('Do not honor') },
        }),
      )
      .executeTest(async (mock) => {
        const { result } = await capture(mock.url, request(15_000));
        expect(result).toMatchObject({
          status: 'failed',
          error: { code: 'provider_declined', provider: { code: 'D0005', message: 'Do not honor' } },
        });
      }));

  it('reports a capture waiting for 3-D Secure (PENDING_3DSAUTH) as pending', () =>
    pact
      .addInteraction()
      .given('a payment is authorised and awaits 3-D Secure authentication', AUTHORISED)
      .uponReceiving('a capture that waits for 3-D Secure')
      .withRequest('POST', '/api/payment/capture', captureOf150())
      .willRespondWith(
        200,
        jsonAnswer({
          transaction_id: string('ca8c6e03-1699-4528-bb0c-5894e87ecf47'),
          capture_response: { status: 'PENDING_3DSAUTH', masked_card_number: regex('[0-9]{4}$', '1111') },
        }),
      )
      .executeTest(async (mock) => {
        const { result } = await capture(mock.url, request(15_000));
        expect(result).toEqual({
          status: 'pending',
          references: { captureId: 'ca8c6e03-1699-4528-bb0c-5894e87ecf47' },
          card: { last4: '1111' },
        });
      }));

  it('reports a secret key PayEngine refuses as provider_auth_failed, without the key anywhere', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', AUTHORISED)
      .uponReceiving('a capture with a secret key PayEngine does not accept')
      .withRequest('POST', '/api/payment/capture', captureOf150(WRONG_KEY))
      .willRespondWith(401, jsonAnswer({ error: 'unauthorized', message: string('Invalid or missing secret key') }))
      .executeTest(async (mock) => {
        const { result, logger } = await capture(mock.url, request(15_000), WRONG_KEY);
        expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed', provider: { code: 'unauthorized' } } });
        expect([JSON.stringify(result), ...logger.lines].join('\n')).not.toContain(WRONG_KEY);
      }));

  it('reports a payment id PayEngine does not know as authorisation_not_found', () =>
    pact
      .addInteraction()
      .given('no payment has the id', { paymentId: PAYMENT_ID })
      .uponReceiving('a capture of an unknown payment')
      .withRequest('POST', '/api/payment/capture', captureOf150())
      .willRespondWith(404, jsonAnswer({ error: 'payment_not_found', message: string('No authorised payment') }))
      .executeTest(async (mock) => {
        const { result } = await capture(mock.url, request(15_000));
        expect(result).toMatchObject({
          status: 'failed',
          error: { code: 'authorisation_not_found', provider: { code: 'payment_not_found' } },
        });
      }));

  it('passes settlement fees (as decimal strings) and metadata through', () =>
    pact
      .addInteraction()
      .given('a payment is authorised', AUTHORISED)
      .uponReceiving('a capture with settlement fees and metadata')
      .withRequest('POST', '/api/payment/capture', (b) =>
        b.headers(requestHeaders()).jsonBody({
          id: PAYMENT_ID,
          data: {
            transaction_amount: usd('150.00'),
            pre_settlement_fee_charge: usd('1.50'),
            post_settlement_fee_charge: usd('0.25'),
            metadata: { customer_id: '123', email: 'customer@example.com' },
          },
        }),
      )
      .willRespondWith(200, jsonAnswer(passBody('150.00')))
      .executeTest(async (mock) => {
        const options = {
          preSettlementFeeCharge: 150,
          postSettlementFeeCharge: 25,
          metadata: { customer_id: '123', email: 'customer@example.com' },
        };
        const { result } = await capture(mock.url, request(15_000, options));
        expect(result).toEqual(expectedPass(15_000));
      }));
});
