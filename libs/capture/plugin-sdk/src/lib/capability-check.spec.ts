import { DomainError } from '@capture-gateway/domain';
import { type CapabilityCheckInput, capabilityRefusal, requiredAmount } from './capability-check';

const usd = (amount: number) => ({ amount: { amount, currency: 'USD' } });
const plugin = (capabilities: Partial<CapabilityCheckInput['capabilities']> = {}, accountCurrencies?: string[]): CapabilityCheckInput => ({
  displayName: 'Acme',
  capabilities: { captureWithoutAmount: false, currencies: 'any', multipleCaptures: false, ...capabilities },
  ...(accountCurrencies ? { accountCurrencies } : {}),
});

describe('capabilityRefusal', () => {
  it('lets through what the plugin can do', () => {
    expect(capabilityRefusal(plugin(), usd(150))).toBeUndefined();
    expect(capabilityRefusal(plugin({ currencies: ['USD', 'EUR'] }), usd(150))).toBeUndefined();
    expect(capabilityRefusal(plugin({ captureWithoutAmount: true }), {})).toBeUndefined();
    expect(capabilityRefusal(plugin({ zeroAmount: true }), usd(0))).toBeUndefined();
    expect(capabilityRefusal(plugin({}, ['USD']), usd(150))).toBeUndefined();
  });

  it('refuses a capture that is not final where the plugin captures an authorisation once, on final', () => {
    expect(capabilityRefusal(plugin(), { ...usd(150), final: false })).toEqual({
      code: 'unsupported_by_provider',
      message: 'Acme captures an authorisation once: a capture is always final',
      param: 'final',
    });
    expect(capabilityRefusal(plugin(), { ...usd(150), final: true })).toBeUndefined();
    expect(capabilityRefusal(plugin({ multipleCaptures: true }), { ...usd(150), final: false })).toBeUndefined();
  });

  it('refuses a capture without an amount where the plugin needs one, on amount', () => {
    expect(capabilityRefusal(plugin(), {})).toEqual({
      code: 'unsupported_by_provider',
      message: 'Acme needs an amount to capture',
      param: 'amount',
    });
  });

  it('refuses zero unless the plugin declares zeroAmount (absent means false), on amount.amount', () => {
    const refusal = { code: 'unsupported_by_provider', message: 'Acme does not capture an amount of zero', param: 'amount.amount' };
    expect(capabilityRefusal(plugin(), usd(0))).toEqual(refusal);
    expect(capabilityRefusal(plugin({ zeroAmount: false }), usd(0))).toEqual(refusal);
  });

  it("refuses a currency outside the plugin's currencies, naming them, on amount.currency", () => {
    expect(capabilityRefusal(plugin({ currencies: ['EUR', 'GBP'] }), usd(150))).toEqual({
      code: 'unsupported_by_provider',
      message: 'Acme captures in EUR, GBP only, not USD',
      param: 'amount.currency',
    });
  });

  it("refuses a currency outside the account's own as currency_mismatch, naming the account's currency", () => {
    expect(capabilityRefusal(plugin({}, ['JPY']), usd(150))).toEqual({
      code: 'currency_mismatch',
      message: 'This Acme account captures in JPY only, not USD',
      param: 'amount.currency',
    });
    expect(capabilityRefusal(plugin({}, []), usd(150))).toMatchObject({
      code: 'currency_mismatch',
      message: expect.stringContaining('in no currency'),
    });
  });

  it("answers the plugin's refusal before the account's, and the amount's before the currency's", () => {
    expect(capabilityRefusal(plugin({ currencies: ['EUR'] }, ['USD']), usd(150))).toMatchObject({ code: 'unsupported_by_provider' });
    expect(capabilityRefusal(plugin({ currencies: ['EUR'] }, ['EUR']), usd(0))).toMatchObject({ param: 'amount.amount' });
  });

  it("has nothing to check of the account's currency when no amount is asked (everything authorised)", () => {
    expect(capabilityRefusal(plugin({ captureWithoutAmount: true }, ['JPY']), {})).toBeUndefined();
  });
});

describe('requiredAmount', () => {
  it('gives the amount, and refuses with the same code and field when there is none', () => {
    expect(requiredAmount(usd(150))).toEqual({ amount: 150, currency: 'USD' });
    expect(() => requiredAmount({})).toThrow(DomainError);
    expect(() => requiredAmount({})).toThrow(expect.objectContaining({ code: 'unsupported_by_provider', param: 'amount' }));
  });
});
