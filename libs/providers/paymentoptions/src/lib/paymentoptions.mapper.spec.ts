import { type Money, moneyConversions } from '@capture-gateway/domain';
import { type ScriptedProvider, startScriptedProvider } from '@capture-gateway/plugin-sdk/testing';
import { toWire } from './paymentoptions.mapper';
import { paymentOptionsPlugin } from './paymentoptions.plugin';
import { PAYMENTOPTIONS_ERROR_CODES as PO } from './paymentoptions.schemas';

// The provider's documented sample response, verbatim.
const DOCS_SAMPLE = {
  success: true,
  status_code: 201,
  is_live: false,
  transaction_type: 'CAPTURE',
  gateway_response: { version: '1', type: 'INFO', message: 'Amount successfully captured.', code: 'INFO0001' },
  merchant_details: { legal_name: 'Tink15 Factory', mid: '< Merchant ID >', merchant_txn_ref: 'qwe' },
  payment_details: {
    amount: 1000,
    response_code: 0,
    auth_code: '264302',
    currency: 'JPY',
    payment_method: 'ECMC-SSL',
    scheme: 'MASTERCARD',
    card: { name: 'John Doe', number: '5200000000001005', exp_month: '12', exp_year: '24' },
    additional_data: { payment_data_source: { type: 'card' } },
  },
  transaction_details: {
    id: '9dfd39ec-eb4a-4f8b-a526-17abf140a717',
    ref: 74819,
    timestamp: '2024-11-25T08:41:15.000Z',
    merchant_txn_ref: 'qwe',
  },
};

const SECRETS = ['auth-secret-1', 'api-secret-2'];
const JPY_1000: Money = { amount: 1000, currency: 'JPY' };
const config = { baseUrl: 'http://x.test', authorizationKey: SECRETS[0], apiKey: SECRETS[1], merchantId: 'po-merchant', currency: 'JPY' };

// Answers go through the real skeleton: status rules, redaction and amount checks included.
let scripted: ScriptedProvider;
beforeAll(async () => (scripted = await startScriptedProvider(paymentOptionsPlugin, (baseUrl) => ({ ...config, baseUrl }))));
afterAll(() => scripted.close());
const map = (status: number, body: unknown, requested = JPY_1000) =>
  scripted.answer(body === undefined ? { status, text: '' } : { status, json: body }, {
    captureId: 'cap_test0001',
    authorisationId: 'e0b0731e',
    amount: requested,
    options: undefined,
  });
const withPayment = (changes: Record<string, unknown>) => ({
  ...DOCS_SAMPLE,
  payment_details: { ...DOCS_SAMPLE.payment_details, ...changes },
});
const errorBody = (code?: string, message?: string) => ({ success: false, gateway_response: { type: 'ERROR', code, message } });

describe('toWire', () => {
  const request = { captureId: 'cap_test0001', authorisationId: 'e0b0731e', amount: JPY_1000, options: undefined };
  const wire = (changes: object, merchantId = 'po-merchant', currency = 'JPY') =>
    toWire({ ...request, ...changes }, { config: { ...config, merchantId, currency }, money: moneyConversions() });

  it('sends the amount in minor units and the merchant id of the account, never one from the caller', () => {
    expect(wire({ description: 'Order 42', metadata: { merchant_id: 'evil' } })).toEqual({
      transactionId: 'e0b0731e',
      amount: 1000,
      merchant_id: 'po-merchant',
      notes: 'Order 42',
    });
    expect(wire({ amount: { amount: 15000, currency: 'USD' } }, 'm', 'USD')).toEqual({
      transactionId: 'e0b0731e',
      amount: 15000,
      merchant_id: 'm',
    });
  });

  it("declares the account's currency, so a capture in another is refused before it is stored or sent", () => {
    const provider = paymentOptionsPlugin.create(
      paymentOptionsPlugin.configSchema.parse({ ...config, baseUrl: 'https://x.test', currency: 'KWD' }),
      {
        accountId: 'spec',
        logger: scripted.logger,
        timeoutMs: 1_000,
      },
    );
    expect(provider.accountCurrencies).toEqual(['KWD']);
  });
});

describe('answers: captures', () => {
  it("reads the docs' sample as a success, with a masked card and the provider's references", async () => {
    const outcome = await map(201, DOCS_SAMPLE);
    expect(outcome).toEqual({
      status: 'succeeded',
      capturedAmount: JPY_1000,
      card: { brand: 'MASTERCARD', bin: '520000', last4: '1005' },
      references: { captureId: '9dfd39ec-eb4a-4f8b-a526-17abf140a717', authCode: '264302', other: { ref: '74819' } },
    });
    expect(JSON.stringify(outcome)).not.toContain('5200000000001005');
    expect(JSON.stringify(outcome)).not.toContain('John Doe');
  });

  it('leaves out what the provider did not send', async () => {
    const body = {
      ...withPayment({ auth_code: null, card: undefined, scheme: undefined }),
      transaction_details: { id: 'cap-1', ref: 'R-9' },
    };
    expect(await map(201, body)).toEqual({
      status: 'succeeded',
      capturedAmount: JPY_1000,
      references: { captureId: 'cap-1', other: { ref: 'R-9' } },
    });
  });

  it('does not call a capture of another currency a success: unknown, currency_mismatch', async () => {
    const outcome = await map(201, withPayment({ currency: 'USD' }));
    expect(outcome).toMatchObject({ status: 'unknown', error: { code: 'currency_mismatch' } });
    expect(outcome.references.captureId).toBe('9dfd39ec-eb4a-4f8b-a526-17abf140a717');
  });

  it('does not call a capture of another amount a success: unknown, amount_mismatch', async () => {
    expect(await map(201, withPayment({ amount: 900 }))).toMatchObject({
      status: 'unknown',
      error: { code: 'amount_mismatch', message: expect.stringContaining('900 JPY, not the 1000 JPY asked for') },
    });
  });

  it('reads amounts in the minor units of currencies with decimals', async () => {
    const usd = await startScriptedProvider(paymentOptionsPlugin, (baseUrl) => ({ ...config, currency: 'USD', baseUrl }));
    try {
      const outcome = await usd.answer(
        { status: 201, json: withPayment({ amount: 15050, currency: 'USD' }) },
        { captureId: 'cap_test0001', authorisationId: 'e0b0731e', amount: { amount: 15050, currency: 'USD' }, options: undefined },
      );
      expect(outcome).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 15050, currency: 'USD' } });
    } finally {
      await usd.close();
    }
  });

  it("refuses a capture in another currency than the account's before sending anything", async () => {
    const before = scripted.received.length;
    expect(await map(201, withPayment({ currency: 'USD' }), { amount: 1000, currency: 'USD' })).toMatchObject({
      status: 'failed',
      error: { code: 'currency_mismatch', message: 'This PaymentOptions account captures in JPY only, not USD; nothing was sent' },
    });
    expect(scripted.received.length).toBe(before);
  });

  it('refuses a capture of zero before sending anything, as every plugin without zeroAmount does', async () => {
    const before = scripted.received.length;
    expect(await map(201, withPayment({ amount: 0 }), { amount: 0, currency: 'JPY' })).toMatchObject({
      status: 'failed',
      error: { code: 'unsupported_by_provider', message: 'PaymentOptions does not capture an amount of zero; nothing was sent' },
    });
    expect(scripted.received.length).toBe(before);
  });
});

describe('answers: unreadable answers', () => {
  it.each([
    ['a body that is not JSON', undefined],
    ['a body without transaction_details', { ...DOCS_SAMPLE, transaction_details: undefined }],
    ['a fractional amount', withPayment({ amount: 10.5 })],
    ['another transaction type', { ...DOCS_SAMPLE, transaction_type: 'REFUND' }],
  ])('calls %s after a 2xx unknown provider_response_invalid', async (_name, body) => {
    const outcome = await map(201, body);
    expect(outcome).toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
    expect(JSON.stringify(outcome)).not.toContain('5200000000001005');
  });

  it('calls a bare 404 a wrong route, not an unknown transaction', async () => {
    expect(await map(404, undefined)).toMatchObject({
      status: 'failed',
      error: { code: 'provider_response_invalid', message: expect.stringContaining('baseUrl') },
    });
  });
});

describe('answers: refusals', () => {
  it.each([
    [402, PO.declined, 'failed', 'provider_declined'],
    [422, PO.amountExceedsAuthorised, 'failed', 'amount_exceeds_authorised'],
    [404, PO.transactionNotFound, 'failed', 'authorisation_not_found'],
    [409, PO.alreadyCaptured, 'failed', 'already_captured'],
    [401, PO.unauthorized, 'failed', 'provider_auth_failed'],
    [403, PO.merchantMismatch, 'failed', 'provider_auth_failed'],
    [400, PO.alreadyCaptured, 'failed', 'already_captured'],
    [400, 'SOMETHING_NEW', 'failed', 'provider_declined'],
    [401, 'SOMETHING_NEW', 'failed', 'provider_auth_failed'],
    [503, PO.unavailable, 'unknown', 'provider_unavailable'],
    [500, PO.alreadyCaptured, 'unknown', 'provider_unavailable'],
    [200, PO.declined, 'failed', 'provider_declined'],
    [201, 'SOMETHING_NEW', 'failed', 'provider_declined'],
  ])("HTTP %i with %s is %s %s, keeping the provider's code", async (status, code, outcome, ours) => {
    expect(await map(status, errorBody(code, 'Said the provider'))).toMatchObject({
      status: outcome,
      error: { code: ours, provider: { code, message: 'Said the provider' } },
    });
  });

  it('falls back on the status when a non-2xx has no error body', async () => {
    expect(await map(401, undefined)).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
    expect(await map(502, undefined)).toMatchObject({ status: 'unknown', error: { code: 'provider_unavailable' } });
  });

  it('redacts credentials and card numbers the provider echoes in its code or message', async () => {
    const outcome = await map(
      400,
      errorBody('auth-secret-1', 'Bad key api-secret-2 for card 5200000000001005, header Basic auth-secret-1'),
    );
    const text = JSON.stringify(outcome);
    for (const value of [...SECRETS, '5200000000001005']) expect(text).not.toContain(value);
    expect(outcome).toMatchObject({
      error: { provider: { message: 'Bad key [REDACTED] for card 520000******1005, header Basic [REDACTED]' } },
    });
  });
});
