import { moneyConversions } from '@capture-gateway/domain';
import type { ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { type ScriptedProvider, startScriptedProvider } from '@capture-gateway/plugin-sdk/testing';
import { ADYEN_MINOR_UNITS } from './adyen.currencies';
import { toWire } from './adyen.mapper';
import { adyenPlugin } from './adyen.plugin';

const money = moneyConversions(ADYEN_MINOR_UNITS);
const config = { merchantAccount: 'ShopECOM' } as Parameters<typeof toWire>[1]['config'];
const request = (
  amount = 15_000,
  currency = 'EUR',
  extra: Partial<ProviderCaptureRequest<undefined>> = {},
): ProviderCaptureRequest<undefined> => ({
  captureId: 'cap_map0001',
  authorisationId: '9913140798220028',
  amount: { amount, currency },
  options: undefined,
  ...extra,
});
const received = (value = 15_000, currency = 'EUR') => ({
  merchantAccount: 'ShopECOM',
  paymentPspReference: '9913140798220028',
  reference: 'cap_map0001',
  pspReference: 'QFQTPCQ8HXSKGK82',
  status: 'received',
  amount: { value, currency },
});
const serviceError = (status: number, errorCode: string, message = 'Adyen says why', errorType = 'validation') => ({
  status,
  errorCode,
  message,
  errorType,
});

describe('toWire: Adyen’s body, in its own minor units', () => {
  it.each([
    [15_000, 'EUR', 15_000],
    [1_500, 'JPY', 1_500],
    [5_125, 'KWD', 5_125],
    // ISO 0 decimals, Adyen 2.
    [1_500, 'CLP', 150_000],
    [1_500, 'ISK', 150_000],
    // ISO 2 decimals, Adyen 0.
    [150_000, 'IDR', 1_500],
    [150_000, 'CVE', 1_500],
  ])('writes %i %s minor units as %i, with the merchant account and our capture id as reference', (amount, currency, value) => {
    expect(toWire(request(amount, currency), { config, money })).toEqual({
      merchantAccount: 'ShopECOM',
      amount: { value, currency },
      reference: 'cap_map0001',
    });
  });

  it('refuses before sending an amount Adyen cannot write, and a capture id too long for its 64-character key', () => {
    expect(() => toWire(request(150_050, 'IDR'), { config, money })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => toWire(request(100, 'EUR', { captureId: `cap_${'x'.repeat(45)}` }), { config, money })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'captureId' }),
    );
    expect(toWire(request(100, 'EUR', { captureId: `cap_${'x'.repeat(44)}` }), { config, money }).reference).toHaveLength(48);
  });
});

describe('Adyen answers, through the real skeleton', () => {
  let scripted: ScriptedProvider;
  beforeAll(async () => {
    scripted = await startScriptedProvider(adyenPlugin, (baseUrl) => ({
      baseUrl,
      apiKey: 'AQE_mapper_key_0123',
      merchantAccount: 'ShopECOM',
    }));
  });
  afterAll(() => scripted.close());

  it('reads 201 received as pending, named by the capture’s pspReference, at the payment’s path', async () => {
    expect(await scripted.answer({ status: 201, json: received() }, request())).toEqual({
      status: 'pending',
      references: { captureId: 'QFQTPCQ8HXSKGK82', other: { paymentPspReference: '9913140798220028' } },
    });
    expect(scripted.received.at(-1)).toBe('POST /v71/payments/9913140798220028/captures');
  });

  it.each([
    ['a 201 of HTML', { status: 201, text: '<html>ok</html>', headers: { 'content-type': 'text/html' } }],
    ['a 201 whose status is not received', { status: 201, json: { ...received(), status: 'captured' } }],
    ['a 201 without the capture’s pspReference', { status: 201, json: { ...received(), pspReference: undefined } }],
    ['a 403 that is not Adyen’s ServiceError (a firewall’s)', { status: 403, json: { message: 'Forbidden' } }],
    ['a 429 that is not Adyen’s ServiceError (a proxy’s)', { status: 429, text: 'Too Many Requests' }],
  ])('takes %s for provider_response_invalid, unknown, never a success', async (_, reply) => {
    expect(await scripted.answer(reply, request())).toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
  });

  it.each([
    [401, serviceError(401, '000', 'HTTP Status Response - Unauthorized', 'security'), 'failed', 'provider_auth_failed'],
    [403, serviceError(403, '010', 'Not allowed', 'security'), 'failed', 'provider_auth_failed'],
    [403, serviceError(403, '901', 'Invalid Merchant Account', 'security'), 'failed', 'provider_auth_failed'],
    [422, serviceError(422, '167', 'Original pspReference required for this operation'), 'failed', 'authorisation_not_found'],
    [
      422,
      serviceError(422, '906', 'Invalid Request: Original pspReference is invalid for this environment'),
      'failed',
      'authorisation_not_found',
    ],
    [422, serviceError(422, '137', "Field 'amount' is not valid."), 'failed', 'invalid_request'],
    [422, serviceError(422, '138', 'Unsupported currency specified'), 'failed', 'currency_mismatch'],
    [400, serviceError(400, '702', 'Unexpected input: ", expected: }'), 'failed', 'internal_error'],
    [422, serviceError(422, '100', "Required object 'amount' is not provided."), 'failed', 'internal_error'],
    // Another code: the HTTP status decides (a 422 the table does not know is a refusal).
    [422, serviceError(422, '14_030', 'Return URL is missing.'), 'failed', 'provider_declined'],
    // Rate limiting refuses before anything is processed: nothing was captured.
    [429, serviceError(429, '000', 'Too many requests', 'security'), 'failed', 'provider_unavailable'],
    // An earlier attempt with the same key is still being processed, or was: money may have moved.
    [422, serviceError(422, '704', 'request already processed or in progress'), 'unknown', 'provider_unavailable'],
    // Any 5xx "may have processed", whatever its code says.
    [500, serviceError(500, '905', 'Payment details are not supported', 'configuration'), 'unknown', 'provider_unavailable'],
    [503, serviceError(503, '167', 'Service unavailable', 'internal'), 'unknown', 'provider_unavailable'],
  ])('reads HTTP %i %j as %s %s', async (status, json, outcome, code) => {
    expect(await scripted.answer({ status, json }, request())).toMatchObject({
      status: outcome,
      error: { code, provider: { code: json.errorCode } },
    });
  });

  it('keeps Adyen’s words, its error type and pspReference in the provider message', async () => {
    const json = { ...serviceError(422, '167', 'Original pspReference required for this operation'), pspReference: '8816118280275544' };
    expect(await scripted.answer({ status: 422, json }, request())).toMatchObject({
      error: {
        provider: {
          code: '167',
          message: 'Original pspReference required for this operation (errorType: validation) (pspReference: 8816118280275544)',
        },
      },
    });
  });

  it('reads a bare 404 as a wrong baseUrl, not an unknown payment', async () => {
    expect(await scripted.answer({ status: 404, text: 'Not Found' }, request())).toMatchObject({
      status: 'failed',
      error: { code: 'provider_response_invalid' },
    });
  });

  it('refuses a payment reference with a slash or a space, and a capture without an amount, before sending anything', async () => {
    const before = scripted.received.length;
    for (const authorisationId of ['9913/../captures', '9913 1', '']) {
      expect(await scripted.answer({ status: 201, json: received() }, { ...request(), authorisationId })).toMatchObject({
        status: 'failed',
        error: { code: 'invalid_request', message: expect.stringContaining('authorisationId') },
      });
    }
    const { amount: _, ...withoutAmount } = request();
    expect(await scripted.answer({ status: 201, json: received() }, withoutAmount)).toMatchObject({
      status: 'failed',
      error: { code: 'unsupported_by_provider' },
    });
    expect(scripted.received.length).toBe(before);
  });
});
