import { DomainError, type Money, moneyConversions } from '@capture-gateway/domain';
import { type ScriptedProvider, startScriptedProvider } from '@capture-gateway/plugin-sdk/testing';
import { toPayEngineAmount, toWire } from './payengine.mapper';
import { payEnginePlugin } from './payengine.plugin';

const SECRET = 'sk_live_mapper_secret';
const usd = (amount: number) => ({ amount, currency: 'USD' });
const context = { money: moneyConversions() };
const config = { baseUrl: 'http://x.test', secretKey: SECRET, webhookToleranceSeconds: 300 };
const toCaptureRequestBody = (request: Parameters<typeof toWire>[0]) => toWire(request, { ...context, config });

// Answers go through the real skeleton: status rules, redaction and amount checks included.
let scripted: ScriptedProvider;
beforeAll(async () => (scripted = await startScriptedProvider(payEnginePlugin, (baseUrl) => ({ ...config, baseUrl }))));
afterAll(() => scripted.close());
const outcomeFromAnswer = (status: number, body: unknown, amount?: Money) =>
  scripted.answer(body === undefined ? { status, text: '' } : typeof body === 'string' ? { status, text: body } : { status, json: body }, {
    captureId: 'cap_mapper00001',
    authorisationId: 'pay_1',
    ...(amount ? { amount } : {}),
    options: undefined,
  });
const captured = (result: Record<string, unknown>) => ({ id: 'pay_1', transaction_id: 'txn_1', capture_response: result });

describe('PayEngine amounts', () => {
  it.each([
    [15_000, '150.00'],
    [100, '1.00'],
    [10, '0.10'],
    [1, '0.01'],
    [0, '0.00'],
    [99_999_999_999, '999999999.99'],
  ])('writes %i cents as "%s", matching the USD amounts of the contract', (cents, text) => {
    expect(toPayEngineAmount(usd(cents), 'amount', context)).toBe(text);
    expect(text).toMatch(/^[0-9]{1,9}(\.[0-9]{1,2})?$/);
  });

  it("refuses an amount wider than PayEngine's 12 characters, naming the limit", () => {
    expect(() => toPayEngineAmount(usd(100_000_000_000), 'amount', context)).toThrow(
      /1000000000\.00 USD is wider than PayEngine's 12-character amount/,
    );
  });

  it('refuses a currency other than USD as unsupported_by_provider, sending nothing', async () => {
    await expect(outcomeFromAnswer(200, undefined, { amount: 100, currency: 'EUR' })).resolves.toMatchObject({
      status: 'failed',
      error: { code: 'unsupported_by_provider', message: 'PayEngine captures in USD only, not EUR; nothing was sent' },
    });
    expect(() => toPayEngineAmount(usd(100_000_000_000), 'amount', context)).toThrow(DomainError);
  });
});

describe('PayEngine capture request body', () => {
  const base = { captureId: 'cap_0000000001', authorisationId: '4126266e-7895-46ad-ae58-92620aa2befe' };

  it('leaves transaction_amount out when no amount is given: capture everything authorised', () => {
    expect(toCaptureRequestBody({ ...base, options: undefined })).toEqual({ id: base.authorisationId, data: {} });
  });

  it('sends fees as exact decimal strings and metadata as given', () => {
    const body = toCaptureRequestBody({
      ...base,
      amount: usd(15_000),
      options: { preSettlementFeeCharge: 150, postSettlementFeeCharge: 5, metadata: { customer_id: '123', tags: ['a'] } },
    });
    expect(body).toEqual({
      id: base.authorisationId,
      data: {
        transaction_amount: '150.00',
        pre_settlement_fee_charge: '1.50',
        post_settlement_fee_charge: '0.05',
        metadata: { customer_id: '123', tags: ['a'] },
      },
    });
  });

  it("does not send the gateway's own metadata to PayEngine", () => {
    const body = toCaptureRequestBody({ ...base, amount: usd(100), metadata: { order: '42' }, options: undefined });
    expect(body.data.metadata).toBeUndefined();
  });
});

describe('PayEngine answers', () => {
  it('maps PASS to succeeded for processed_amount, which may be less than was asked', async () => {
    const outcome = await outcomeFromAnswer(
      200,
      captured({ status: 'PASS', processed_amount: '100.00', auth_code: 'A1', masked_card_number: '1111' }),
      usd(15_000),
    );
    expect(outcome).toEqual({
      status: 'succeeded',
      capturedAmount: usd(10_000),
      references: { captureId: 'txn_1', authCode: 'A1' },
      card: { last4: '1111' },
    });
  });

  it('never reports more than was asked as a success', async () => {
    await expect(outcomeFromAnswer(200, captured({ status: 'PASS', processed_amount: '200.00' }), usd(15_000))).resolves.toMatchObject({
      status: 'unknown',
      error: { code: 'amount_mismatch' },
    });
  });

  it('reads "1" as one dollar, as the docs say', async () => {
    await expect(outcomeFromAnswer(200, captured({ status: 'PASS', processed_amount: '1' }))).resolves.toMatchObject({
      capturedAmount: usd(100),
    });
  });

  it('keeps only the last four digits, even if PayEngine sends more of the card number', async () => {
    const outcome = await outcomeFromAnswer(
      200,
      captured({ status: 'PASS', processed_amount: '1.00', masked_card_number: '4111111111111111' }),
    );
    expect(outcome.card).toEqual({ last4: '1111' });
    expect(JSON.stringify(outcome)).not.toContain('411111111111');
  });

  it('maps FAIL to failed provider_declined with response_code and response_message kept', async () => {
    const outcome = await outcomeFromAnswer(200, captured({ status: 'FAIL', response_code: 'D0005', response_message: 'Do not honor' }));
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'provider_declined', provider: { code: 'D0005', message: 'Do not honor' } },
    });
  });

  it('maps PENDING_3DSAUTH to pending', async () => {
    await expect(outcomeFromAnswer(200, captured({ status: 'PENDING_3DSAUTH' }))).resolves.toMatchObject({ status: 'pending' });
  });

  it.each([
    ['a body that is not JSON', undefined],
    ['a JSON body of another shape', { ok: true }],
    ['an unknown status', captured({ status: 'MAYBE' })],
    ['a processed_amount with three decimals', captured({ status: 'PASS', processed_amount: '1.005' })],
  ])('treats %s after a 2xx as unknown provider_response_invalid (money may have moved)', async (_name, body) => {
    await expect(outcomeFromAnswer(200, body)).resolves.toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
  });

  it.each([
    [401, { error: 'unauthorized', message: 'Invalid key' }, 'provider_auth_failed'],
    [404, { error: 'payment_not_found', message: 'No payment' }, 'authorisation_not_found'],
    [409, { error: 'already_captured', message: 'Already captured' }, 'already_captured'],
    [422, { error: 'amount_exceeds_authorised', message: 'Too much' }, 'amount_exceeds_authorised'],
    [400, { error: 'invalid_request', message: 'Bad amount' }, 'invalid_request'],
    [403, '<html>', 'provider_auth_failed'],
  ])('maps HTTP %i %j to failed %s', async (status, body, code) => {
    await expect(outcomeFromAnswer(status, body)).resolves.toMatchObject({ status: 'failed', error: { code } });
  });

  it("reads a 404 without PayEngine's error body as a wrong route, not an unknown payment", async () => {
    await expect(outcomeFromAnswer(404, '<html>Not Found</html>')).resolves.toMatchObject({
      status: 'failed',
      error: { code: 'provider_response_invalid', message: expect.stringContaining('baseUrl') },
    });
  });

  it('keeps a 5xx unknown whatever its body claims: PayEngine may have captured', async () => {
    const outcome = await outcomeFromAnswer(500, { error: 'already_captured', message: 'x' });
    expect(outcome).toMatchObject({ status: 'unknown', error: { code: 'provider_unavailable' } });
  });

  it('redacts the secret key if PayEngine echoes it in an error or a decline message', async () => {
    const refused = await outcomeFromAnswer(401, { error: 'unauthorized', message: `Key Basic ${SECRET} is invalid` });
    const declined = await outcomeFromAnswer(200, captured({ status: 'FAIL', response_code: 'D1', response_message: `bad ${SECRET}` }));
    expect(JSON.stringify([refused, declined, scripted.logger.lines])).not.toContain(SECRET);
    expect(refused).toMatchObject({ error: { provider: { message: 'Key Basic [REDACTED] is invalid' } } });
  });
});
