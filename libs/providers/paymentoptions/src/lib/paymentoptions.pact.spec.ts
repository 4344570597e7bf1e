import type { Money } from '@capture-gateway/domain';
import type { ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { clearPactFile, createMemoryLogger, pactsDir } from '@capture-gateway/plugin-sdk/testing';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { paymentOptionsPlugin } from './paymentoptions.plugin';
import { CAPTURE_PATH, PAYMENTOPTIONS_ERROR_CODES as PO } from './paymentoptions.schemas';

const { like, integer, regex } = MatchersV3;

// Pact merges into an existing file: start from nothing so the file is exactly these interactions.
clearPactFile('capture-gateway', 'paymentoptions');
const pact = new PactV4({ consumer: 'capture-gateway', provider: 'paymentoptions', dir: pactsDir(), logLevel: 'warn' });

// The docs' transaction, and fixed ids for the other situations: the pact must be deterministic.
const DOCS_TX = 'e0b0731e-7170-4b64-8a21-7d835eebd641';
const DECLINED_TX = '5b1f2c0e-3d4a-4e8b-9f61-2a7c9d0e4b13';
const UNKNOWN_TX = '0d7e9a52-6c3b-4f1e-8a90-b4c5d6e7f801';
const CAPTURED_TX = '8c2d4e6f-1a3b-4c5d-9e7f-0a1b2c3d4e5f';
const UNAVAILABLE_TX = 'a4b3c2d1-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const VALID = { authorizationKey: 'sandbox-authorization-key', apiKey: 'sandbox-api-key', merchantId: 'sandbox-merchant' };
const REVOKED = { ...VALID, authorizationKey: 'revoked-authorization-key', apiKey: 'revoked-api-key' };
const jpy = (amount: number): Money => ({ amount, currency: 'JPY' });
const authorised = (transactionId: string, money: Money) => ({ transactionId, amount: money.amount, currency: money.currency });

function headers(credentials = VALID) {
  return {
    Authorization: regex('^Basic \\S+$', `Basic ${credentials.authorizationKey}`),
    'x-api-key': like(credentials.apiKey),
    'Content-Type': 'application/json',
  };
}

function body(transactionId: string, amount: number, notes?: string) {
  return { transactionId, amount, merchant_id: like(VALID.merchantId), ...(notes ? { notes } : {}) };
}

// Only what the mapper reads: amount and currency exactly (they are checked against the request).
function capturedBody(money: Money) {
  return {
    success: true,
    transaction_type: 'CAPTURE',
    gateway_response: { code: like('INFO0001'), message: like('Amount successfully captured.') },
    payment_details: {
      amount: money.amount,
      currency: money.currency,
      auth_code: like('264302'),
      scheme: like('MASTERCARD'),
      card: { number: regex('^\\d{12,19}$', '5200000000001005') },
    },
    transaction_details: { id: like('9dfd39ec-eb4a-4f8b-a526-17abf140a717'), ref: integer(74819) },
  };
}

// Undocumented: we assume the success envelope with `success: false` and a gateway code.
function errorBody(code: unknown, message: string) {
  return { success: false, gateway_response: { code, message: like(message) } };
}

function capture(
  baseUrl: string,
  authorisationId: string,
  amount: Money,
  extra: Partial<ProviderCaptureRequest<undefined>> = {},
  credentials = VALID,
) {
  // The account's currency is the one asked for: the request carries none, so the wire is the same.
  const config = paymentOptionsPlugin.configSchema.parse({ baseUrl, ...credentials, currency: amount.currency });
  const provider = paymentOptionsPlugin.create(config, { accountId: 'po-jp', logger: createMemoryLogger(), timeoutMs: 5_000 });
  return provider.capture({ captureId: 'cap_pact00000001', authorisationId, amount, options: undefined, ...extra });
}

describe('PaymentOptions capture API (consumer contract)', () => {
  it("captures the full authorised amount and reads the docs' sample response", async () => {
    await pact
      .addInteraction()
      .given(`transaction ${DOCS_TX} is authorised for 1000 JPY`, authorised(DOCS_TX, jpy(1000)))
      .uponReceiving('a capture of the full authorised amount')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(DOCS_TX, 1000, 'Capturing authorised amount')))
      .willRespondWith(201, (b) => b.jsonBody(capturedBody(jpy(1000))))
      .executeTest(async (mock) => {
        const outcome = await capture(mock.url, DOCS_TX, jpy(1000), { description: 'Capturing authorised amount' });
        expect(outcome).toEqual({
          status: 'succeeded',
          capturedAmount: jpy(1000),
          card: { brand: 'MASTERCARD', bin: '520000', last4: '1005' },
          references: { captureId: '9dfd39ec-eb4a-4f8b-a526-17abf140a717', authCode: '264302', other: { ref: '74819' } },
        });
      });
  });

  it('captures part of the authorised amount', async () => {
    await pact
      .addInteraction()
      .given(`transaction ${DOCS_TX} is authorised for 1000 JPY`, authorised(DOCS_TX, jpy(1000)))
      .uponReceiving('a capture of part of the authorised amount')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(DOCS_TX, 400)))
      .willRespondWith(201, (b) => b.jsonBody(capturedBody(jpy(400))))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, DOCS_TX, jpy(400))).toMatchObject({ status: 'succeeded', capturedAmount: jpy(400) });
      });
  });

  it("reports a decline as failed, keeping the provider's code", async () => {
    await pact
      .addInteraction()
      .given(`transaction ${DECLINED_TX} is authorised for 1000 JPY and its capture is declined`, authorised(DECLINED_TX, jpy(1000)))
      .uponReceiving('a capture that the issuer declines')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(DECLINED_TX, 1000)))
      .willRespondWith(402, (b) => b.jsonBody(errorBody(like(PO.declined), 'The issuer declined the capture.')))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, DECLINED_TX, jpy(1000))).toMatchObject({
          status: 'failed',
          error: { code: 'provider_declined', provider: { code: PO.declined, message: 'The issuer declined the capture.' } },
        });
      });
  });

  it('reports bad credentials as provider_auth_failed', async () => {
    await pact
      .addInteraction()
      .given('the credentials sent are not valid', { authorizationKey: REVOKED.authorizationKey, apiKey: REVOKED.apiKey })
      .uponReceiving('a capture with credentials the provider does not accept')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers(REVOKED)).jsonBody(body(DOCS_TX, 1000)))
      .willRespondWith(401, (b) => b.jsonBody(errorBody(like(PO.unauthorized), 'Invalid or missing API credentials.')))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, DOCS_TX, jpy(1000), {}, REVOKED)).toMatchObject({
          status: 'failed',
          error: { code: 'provider_auth_failed' },
        });
      });
  });

  it('reports an unknown transaction as authorisation_not_found', async () => {
    await pact
      .addInteraction()
      .given(`transaction ${UNKNOWN_TX} does not exist`, { transactionId: UNKNOWN_TX })
      .uponReceiving('a capture of a transaction the provider does not know')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(UNKNOWN_TX, 1000)))
      .willRespondWith(404, (b) => b.jsonBody(errorBody(like(PO.transactionNotFound), 'No transaction with this id.')))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, UNKNOWN_TX, jpy(1000))).toMatchObject({
          status: 'failed',
          error: { code: 'authorisation_not_found', provider: { code: PO.transactionNotFound } },
        });
      });
  });

  it("reports an amount above the authorisation from the error body's code", async () => {
    await pact
      .addInteraction()
      .given(`transaction ${DOCS_TX} is authorised for 1000 JPY`, authorised(DOCS_TX, jpy(1000)))
      .uponReceiving('a capture of more than the authorised amount')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(DOCS_TX, 1500)))
      // The code is exact: it alone tells this 422 apart from other refusals.
      .willRespondWith(422, (b) => b.jsonBody(errorBody(PO.amountExceedsAuthorised, 'The amount exceeds the authorised amount.')))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, DOCS_TX, jpy(1500))).toMatchObject({
          status: 'failed',
          error: { code: 'amount_exceeds_authorised', provider: { code: PO.amountExceedsAuthorised } },
        });
      });
  });

  it('reports a second capture as already_captured', async () => {
    await pact
      .addInteraction()
      .given(`transaction ${CAPTURED_TX} is authorised for 1000 JPY and already captured`, authorised(CAPTURED_TX, jpy(1000)))
      .uponReceiving('a capture of a transaction already captured')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(CAPTURED_TX, 1000)))
      .willRespondWith(409, (b) => b.jsonBody(errorBody(like(PO.alreadyCaptured), 'The transaction has already been captured.')))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, CAPTURED_TX, jpy(1000))).toMatchObject({ status: 'failed', error: { code: 'already_captured' } });
      });
  });

  it('reports a 5xx error body as unknown: the capture may have happened', async () => {
    await pact
      .addInteraction()
      .given(
        `transaction ${UNAVAILABLE_TX} is authorised for 1000 JPY and the provider is unavailable`,
        authorised(UNAVAILABLE_TX, jpy(1000)),
      )
      .uponReceiving('a capture while the provider is unavailable')
      .withRequest('POST', CAPTURE_PATH, (b) => b.headers(headers()).jsonBody(body(UNAVAILABLE_TX, 1000)))
      .willRespondWith(503, (b) => b.jsonBody(errorBody(like(PO.unavailable), 'The service is temporarily unavailable.')))
      .executeTest(async (mock) => {
        expect(await capture(mock.url, UNAVAILABLE_TX, jpy(1000))).toMatchObject({
          status: 'unknown',
          error: { code: 'provider_unavailable', provider: { code: PO.unavailable } },
        });
      });
  });
});
