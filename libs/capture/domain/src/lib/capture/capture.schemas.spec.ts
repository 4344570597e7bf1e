import { ERROR_CODES, ERROR_HTTP_STATUS } from '../errors/error-codes';
import { CaptureOutcomeSchema } from './capture-outcome.schemas';
import { CaptureRequestSchema } from './capture.schemas';
import { maskCard } from './card';

describe('CaptureRequestSchema', () => {
  const valid = { account: 'po-jp', authorisationId: 'e0b0731e', amount: { amount: 1000, currency: 'JPY' } };

  it('accepts a request with or without an amount', () => {
    expect(CaptureRequestSchema.parse(valid)).toEqual(valid);
    expect(CaptureRequestSchema.parse({ account: 'pe-us', authorisationId: 'x' })).toEqual({
      account: 'pe-us',
      authorisationId: 'x',
    });
  });

  it.each([
    [{ ...valid, amount: { amount: 10.5, currency: 'JPY' } }, 'amount.amount'],
    [{ ...valid, amount: { amount: 10, currency: 'XXX' } }, 'amount.currency'],
    [{ ...valid, authorisationId: '' }, 'authorisationId'],
    [{ ...valid, account: 'Bad Account' }, 'account'],
    [{ ...valid, description: 'x'.repeat(256) }, 'description'],
    [{ ...valid, unexpected: true }, ''],
  ])('names the field at fault in %j', (input, path) => {
    const result = CaptureRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('error codes', () => {
  it('map to an HTTP status each, 4xx for the caller and 5xx for the provider side', () => {
    expect(ERROR_HTTP_STATUS.provider_declined).toBe(402);
    expect(ERROR_HTTP_STATUS.already_captured).toBe(409);
    expect(ERROR_HTTP_STATUS.invalid_request).toBe(400);
    expect(ERROR_HTTP_STATUS.provider_timeout).toBe(504);
    for (const code of ERROR_CODES) expect(ERROR_HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
  });
});

describe('CaptureOutcomeSchema', () => {
  it('requires an error on failed and unknown outcomes', () => {
    expect(CaptureOutcomeSchema.safeParse({ status: 'failed' }).success).toBe(false);
    expect(CaptureOutcomeSchema.parse({ status: 'succeeded' })).toEqual({ status: 'succeeded', references: {} });
  });
});

describe('maskCard', () => {
  it('keeps the first six and last four digits only', () => {
    expect(maskCard('5200000000001005', 'MASTERCARD')).toEqual({ brand: 'MASTERCARD', bin: '520000', last4: '1005' });
    expect(JSON.stringify(maskCard('5200 0000 0000 1005'))).not.toContain('5200000000001005');
  });
  it('returns nothing for what is not a card number', () => {
    expect(maskCard('1111')).toBeUndefined();
    expect(maskCard(undefined)).toBeUndefined();
  });
});
