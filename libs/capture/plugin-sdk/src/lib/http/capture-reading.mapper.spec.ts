import { cleanProviderDetail, outcomeFromReading, outcomeFromRefusal, type OutcomeRules } from './capture-reading.mapper';

const SECRET = 'sk_live_0123456789';
const rules: OutcomeRules = {
  providerName: 'Acme',
  errorCodes: { NOPE: 'provider_declined', GONE: 'authorisation_not_found', TWICE: 'already_captured' },
  secrets: [SECRET],
};
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('non-2xx answers', () => {
  it('keeps a 5xx unknown whatever its body says, known code or not', () => {
    expect(outcomeFromRefusal(503, { code: 'TWICE' }, rules)).toMatchObject({
      status: 'unknown',
      error: { code: 'provider_unavailable', provider: { code: 'TWICE' } },
    });
  });

  it('keeps a redirect unknown whatever its body says: it is not followed, and the provider may have captured first', () => {
    for (const status of [301, 303, 307, 308]) {
      expect(outcomeFromRefusal(status, { code: 'NOPE' }, rules)).toMatchObject({
        status: 'unknown',
        error: { code: 'provider_response_invalid', message: expect.stringContaining(`redirect (HTTP ${status})`) },
      });
    }
  });

  it('calls a 404 without a provider code a wrong route, and one with a code what the code says', () => {
    expect(outcomeFromRefusal(404, undefined, rules)).toMatchObject({ status: 'failed', error: { code: 'provider_response_invalid' } });
    expect(outcomeFromRefusal(404, { message: 'Not Found' }, rules)).toMatchObject({ error: { code: 'provider_response_invalid' } });
    expect(outcomeFromRefusal(404, { code: 'GONE' }, rules)).toMatchObject({ error: { code: 'authorisation_not_found' } });
  });

  it('keeps an answer read as in doubt (an earlier attempt with the key in progress) unknown, over the table and errorCode', () => {
    const inDoubt = {
      code: 'TWICE',
      message: 'request already processed or in progress',
      inDoubt: true,
      errorCode: 'already_captured',
    } as const;
    expect(outcomeFromRefusal(422, inDoubt, rules)).toEqual({
      status: 'unknown',
      error: {
        code: 'provider_unavailable',
        message: expect.stringContaining('may or may not have happened'),
        provider: { code: 'TWICE', message: 'request already processed or in progress' },
      },
    });
  });

  it('maps a known code from the table, and falls back on the HTTP status for the others', () => {
    expect(outcomeFromRefusal(400, { code: 'TWICE' }, rules)).toMatchObject({ status: 'failed', error: { code: 'already_captured' } });
    expect(outcomeFromRefusal(401, { code: 'WHO' }, rules)).toMatchObject({
      error: { code: 'provider_auth_failed', provider: { code: 'WHO' } },
    });
  });
});

describe("the provider's own words", () => {
  it('are redacted before they are cut short, so no part of a secret survives the cut', () => {
    const message = `${'x'.repeat(495)}${SECRET} card 4111111111111111`;
    const clean = cleanProviderDetail({ code: SECRET, message }, [SECRET]);
    expect(clean?.code).toBe('[REDACTED]');
    expect(clean?.message).toHaveLength(500);
    expect(clean?.message).not.toContain('sk_li');
  });
});

describe('readings', () => {
  it('never reports a success for another amount or currency as a success', () => {
    expect(outcomeFromReading({ status: 'succeeded', capturedAmount: usd(100) }, usd(150), rules)).toMatchObject({
      status: 'unknown',
      error: { code: 'amount_mismatch' },
    });
    expect(outcomeFromReading({ status: 'succeeded', capturedAmount: { amount: 150, currency: 'EUR' } }, usd(150), rules)).toMatchObject({
      status: 'unknown',
      error: { code: 'currency_mismatch' },
    });
  });

  it('accepts less than asked only where the provider may authorise partially, and never more', () => {
    const partial = { ...rules, capturedAmountMayBeLess: true };
    expect(outcomeFromReading({ status: 'succeeded', capturedAmount: usd(100) }, usd(150), partial)).toMatchObject({ status: 'succeeded' });
    expect(outcomeFromReading({ status: 'succeeded', capturedAmount: usd(200) }, usd(150), partial)).toMatchObject({ status: 'unknown' });
  });

  it('reports the amount asked when the provider names none, and maps a decline through the table', () => {
    expect(outcomeFromReading({ status: 'succeeded' }, usd(150), rules)).toEqual({
      status: 'succeeded',
      capturedAmount: usd(150),
      references: {},
    });
    expect(outcomeFromReading({ status: 'declined', provider: { code: 'TWICE' } }, usd(1), rules)).toMatchObject({
      status: 'failed',
      error: { code: 'already_captured', provider: { code: 'TWICE' } },
    });
  });
});

describe('card brands', () => {
  const card = (brand: string) => ({ brand, last4: '1111' });

  it('are cut to the 40 characters the capture model keeps, whatever the provider sends', () => {
    const brand = `VISA ${'x'.repeat(60)}`;
    const outcome = outcomeFromReading({ status: 'succeeded', card: card(brand) }, usd(150), rules);
    expect(outcome.card).toEqual({ brand: brand.slice(0, 40), last4: '1111' });
    expect(outcomeFromReading({ status: 'pending', card: card('visa') }, usd(150), rules).card).toEqual(card('visa'));
  });

  it('are redacted before they are cut, in declines too', () => {
    const brand = `${'x'.repeat(30)}${SECRET} 4111111111111111`;
    const outcome = outcomeFromReading({ status: 'declined', card: card(brand) }, usd(150), rules);
    expect(outcome.card?.brand).toBe(`${'x'.repeat(30)}[REDACTED]`);
    expect(JSON.stringify(outcome)).not.toContain('sk_li');
  });
});
