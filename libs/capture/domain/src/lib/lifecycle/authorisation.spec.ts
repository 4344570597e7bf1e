import fc from 'fast-check';
import type { CaptureStatus } from '../capture/capture-status';
import { admit, type AuthorisationCapture, authorisationSummary, type AuthorisationState } from './authorisation';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const capture = (status: CaptureStatus, requested: number, final = false, captured?: number): AuthorisationCapture => ({
  record: { status, requestedAmount: usd(requested), ...(captured !== undefined ? { capturedAmount: usd(captured) } : {}) },
  final,
});
const state = (captures: AuthorisationCapture[], authorised?: number, closedByProvider = false): AuthorisationState => ({
  ...(authorised !== undefined ? { authorisedAmount: usd(authorised) } : {}),
  closedByProvider,
  captures,
});

describe('an authorisation captured in parts', () => {
  test('30 + 50 non-final, then 20 final, on 100: admitted, then closed', () => {
    let captures: AuthorisationCapture[] = [];
    for (const [amount, final] of [
      [30, false],
      [50, false],
      [20, true],
    ] as const) {
      expect(admit(state(captures, 100), { amount: usd(amount), final, authorisedAmount: usd(100) })).toMatchObject({ admitted: true });
      captures = [...captures, capture('succeeded', amount, final, amount)];
    }
    expect(authorisationSummary(state(captures, 100))).toEqual({ closed: true, captured: [usd(100)], committed: [usd(100)] });
    expect(admit(state(captures, 100), { amount: usd(1), final: true })).toMatchObject({
      admitted: false,
      code: 'authorisation_closed',
      param: 'authorisationId',
    });
  });

  test('past the authorised amount: refused with what is left, counting captures in doubt but not failed ones', () => {
    const s = state([capture('succeeded', 30, false, 30), capture('unknown', 50), capture('failed', 40)], 100);
    expect(admit(s, { amount: usd(21), final: false })).toEqual({
      admitted: false,
      code: 'amount_exceeds_authorisation',
      message: '0.21 USD would take the authorisation past 1.00 USD: 0.20 USD is left',
      param: 'amount.amount',
    });
    expect(admit(s, { amount: usd(20), final: false })).toEqual({ admitted: true });
  });

  test('a failed final capture does not close it; the provider can', () => {
    expect(authorisationSummary(state([capture('failed', 100, true)])).closed).toBe(false);
    expect(admit(state([], undefined, true), { amount: usd(1), final: true })).toMatchObject({
      admitted: false,
      code: 'authorisation_closed',
      message: expect.stringContaining('provider'),
    });
  });

  test('the first declared authorised amount stays; another currency is refused; a non-final capture needs an amount', () => {
    expect(admit(state([]), { amount: usd(10), final: false, authorisedAmount: usd(100) })).toEqual({ admitted: true, declares: usd(100) });
    expect(admit(state([], 100), { amount: usd(10), final: false, authorisedAmount: usd(90) })).toMatchObject({
      admitted: false,
      code: 'invalid_request',
      param: 'authorisedAmount',
    });
    expect(admit(state([], 100), { amount: { amount: 10, currency: 'EUR' }, final: false })).toMatchObject({
      admitted: false,
      code: 'currency_mismatch',
    });
    expect(admit(state([], 100), { final: false })).toMatchObject({ admitted: false, code: 'invalid_request', param: 'amount' });
    expect(admit(state([], 100), { final: true })).toEqual({ admitted: true });
  });

  test('after earlier captures, "the rest" is refused: a later capture names its amount', () => {
    expect(admit(state([capture('succeeded', 30, false, 30)], 100), { final: true })).toEqual({
      admitted: false,
      code: 'invalid_request',
      message: 'This authorisation has earlier captures: a later capture needs an amount',
      param: 'amount',
    });
    expect(admit(state([capture('failed', 30)], 100), { final: true })).toEqual({ admitted: true });
  });

  test('whatever the order of asks, what is admitted never exceeds the authorised amount', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 12 }), (asks) => {
        const captures: AuthorisationCapture[] = [];
        for (const amount of asks) {
          if (admit(state(captures, 100), { amount: usd(amount), final: false }).admitted) captures.push(capture('pending', amount));
        }
        expect(authorisationSummary(state(captures, 100)).committed[0]?.amount ?? 0).toBeLessThanOrEqual(100);
      }),
    );
  });
});
