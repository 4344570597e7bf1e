import fc from 'fast-check';
import { MoneyError } from '../errors/domain.errors';
import { currencyExponent, findCurrency, knownCurrencies } from './currency';
import {
  formatMoney,
  fromDecimalString,
  fromMinorUnitInteger,
  moneyConversions,
  providerExponent,
  toDecimalString,
  toMinorUnitInteger,
} from './money';
import { MoneySchema } from './money.schemas';

describe('currency exponents come from ISO 4217 data', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('knows the world currencies and leaves out metals and test codes', () => {
    expect(knownCurrencies().length).toBeGreaterThan(150);
    expect(findCurrency('XAU')).toBeUndefined();
    expect(findCurrency('XTS')).toBeUndefined();
  });

  it('refuses an unknown code with a clear error', () => {
    expect(() => currencyExponent('ABC')).toThrow(new MoneyError('"ABC" is not an ISO 4217 currency'));
  });
});

describe('JPY (no decimals)', () => {
  it('converts to and from the decimal string', () => {
    expect(toDecimalString({ amount: 1000, currency: 'JPY' })).toBe('1000');
    expect(fromDecimalString('1000', 'JPY')).toEqual({ amount: 1000, currency: 'JPY' });
  });
  it('refuses a fraction of a yen', () => {
    expect(() => fromDecimalString('1.5', 'JPY')).toThrow('"1.5" has 1 decimal places; JPY has 0');
    expect(() => fromDecimalString('1.0', 'JPY')).toThrow(MoneyError);
  });
});

describe('USD (two decimals)', () => {
  it('converts to the decimal string with exactly two decimals', () => {
    expect(toDecimalString({ amount: 15000, currency: 'USD' })).toBe('150.00');
    expect(toDecimalString({ amount: 10, currency: 'USD' })).toBe('0.10');
    expect(toDecimalString({ amount: 1, currency: 'USD' })).toBe('0.01');
    expect(toDecimalString({ amount: 0, currency: 'USD' })).toBe('0.00');
  });
  it('reads whole and shortened forms as PayEngine documents them', () => {
    expect(fromDecimalString('1', 'USD').amount).toBe(100);
    expect(fromDecimalString('1.00', 'USD').amount).toBe(100);
    expect(fromDecimalString('0.1', 'USD').amount).toBe(10);
    expect(fromDecimalString('150.00', 'USD').amount).toBe(15000);
  });
  it('refuses three decimals and anything that is not a plain decimal', () => {
    expect(() => fromDecimalString('1.005', 'USD')).toThrow('has 3 decimal places; USD has 2');
    for (const bad of ['', '1.', '.5', '-1.00', '1e3', '1,00', ' 1.00', '0x10', 'NaN']) {
      expect(() => fromDecimalString(bad, 'USD')).toThrow(MoneyError);
    }
  });
  it('is exact where floating point is not (0.1 + 0.2)', () => {
    expect(fromDecimalString('0.30', 'USD').amount).toBe(30);
    expect(toDecimalString({ amount: 30, currency: 'USD' })).toBe('0.30');
    expect(toDecimalString({ amount: Number.MAX_SAFE_INTEGER, currency: 'USD' })).toBe('90071992547409.91');
  });
});

describe('KWD (three decimals)', () => {
  it('converts both ways', () => {
    expect(toDecimalString({ amount: 1234, currency: 'KWD' })).toBe('1.234');
    expect(fromDecimalString('1.234', 'KWD').amount).toBe(1234);
    expect(fromDecimalString('1.5', 'KWD').amount).toBe(1500);
    expect(formatMoney({ amount: 5, currency: 'KWD' })).toBe('0.005 KWD');
  });
  it('refuses four decimals', () => {
    expect(() => fromDecimalString('1.2345', 'KWD')).toThrow(MoneyError);
  });
});

describe('integer formats', () => {
  it('passes minor units through and refuses what is not a whole non-negative number', () => {
    expect(toMinorUnitInteger({ amount: 1000, currency: 'JPY' })).toBe(1000);
    expect(fromMinorUnitInteger(1000, 'JPY')).toEqual({ amount: 1000, currency: 'JPY' });
    expect(() => fromMinorUnitInteger(10.5, 'USD')).toThrow(MoneyError);
    expect(() => fromMinorUnitInteger(-1, 'USD')).toThrow(MoneyError);
    expect(() => fromMinorUnitInteger(2 ** 53, 'USD')).toThrow(MoneyError);
    expect(() => toMinorUnitInteger({ amount: 0.1, currency: 'USD' })).toThrow(MoneyError);
  });
});

describe('MoneySchema', () => {
  it('accepts integer minor units of a known currency', () => {
    expect(MoneySchema.parse({ amount: 150, currency: 'USD' })).toEqual({ amount: 150, currency: 'USD' });
  });
  it.each([
    [{ amount: 1.5, currency: 'USD' }, 'amount'],
    [{ amount: -1, currency: 'USD' }, 'amount'],
    [{ amount: '150', currency: 'USD' }, 'amount'],
    [{ amount: 150, currency: 'usd' }, 'currency'],
    [{ amount: 150, currency: 'XYZ' }, 'currency'],
    [{ amount: 150, currency: 'USD', extra: 1 }, ''],
  ])('refuses %j at "%s"', (input, path) => {
    const result = MoneySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('round trip over every currency the data lists (property)', () => {
  const codes = knownCurrencies().map((c) => c.code);

  it('minor units -> decimal string -> minor units is the identity', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.maxSafeNat(), (currency, amount) => {
        const text = toDecimalString({ amount, currency });
        expect(text).toMatch(/^\d+(\.\d+)?$/);
        expect(fromDecimalString(text, currency)).toEqual({ amount, currency });
      }),
      { numRuns: 5000 },
    );
  });

  it('every currency round-trips its edge amounts', () => {
    for (const currency of codes) {
      for (const amount of [0, 1, 9, 10, 99, 100, 101, 999_999, Number.MAX_SAFE_INTEGER]) {
        expect(fromDecimalString(toDecimalString({ amount, currency }), currency).amount).toBe(amount);
      }
    }
  });

  it('decimal strings with at most the exponent decimals read back to the same text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.nat({ max: 10 ** 9 }), fc.nat({ max: 9999 }), (currency, whole, rawFraction) => {
        const exponent = currencyExponent(currency);
        const fraction = exponent === 0 ? '' : String(rawFraction % 10 ** exponent).padStart(exponent, '0');
        const text = exponent === 0 ? String(whole) : `${whole}.${fraction}`;
        expect(toDecimalString(fromDecimalString(text, currency))).toBe(text);
      }),
    );
  });
});

describe("a provider's minor-unit overrides", () => {
  // A provider that writes HUF without decimals (ISO: 2) and JPY with two (ISO: 0).
  const overrides = { HUF: 0, JPY: 2 };
  const money = moneyConversions(overrides);

  it('uses the override where there is one, ISO 4217 elsewhere', () => {
    expect(providerExponent('HUF', overrides)).toBe(0);
    expect(providerExponent('USD', overrides)).toBe(2);
    expect(money.exponent('JPY')).toBe(2);
    expect(() => providerExponent('USD', { USD: 1.5 })).toThrow(MoneyError);
  });

  it('writes and reads decimal strings at the provider exponent, keeping ISO minor units in the model', () => {
    expect(money.toDecimalString({ amount: 15000, currency: 'HUF' })).toBe('150');
    expect(money.fromDecimalString('150', 'HUF')).toEqual({ amount: 15000, currency: 'HUF' });
    expect(money.toDecimalString({ amount: 1000, currency: 'JPY' })).toBe('1000.00');
    expect(money.fromDecimalString('1000.00', 'JPY')).toEqual({ amount: 1000, currency: 'JPY' });
    expect(money.toDecimalString({ amount: 15000, currency: 'USD' })).toBe('150.00');
  });

  it('converts minor-unit integers exactly, and refuses what the provider cannot express', () => {
    expect(money.toMinorUnitInteger({ amount: 15000, currency: 'HUF' })).toBe(150);
    expect(money.fromMinorUnitInteger(150, 'HUF')).toEqual({ amount: 15000, currency: 'HUF' });
    expect(money.toMinorUnitInteger({ amount: 1000, currency: 'JPY' })).toBe(100000);
    expect(money.fromMinorUnitInteger(100000, 'JPY')).toEqual({ amount: 1000, currency: 'JPY' });
    expect(() => money.toMinorUnitInteger({ amount: 15050, currency: 'HUF' })).toThrow(MoneyError);
    expect(() => money.toDecimalString({ amount: 15050, currency: 'HUF' })).toThrow('cannot be written with 0 decimals');
    expect(() => money.fromMinorUnitInteger(100050, 'JPY')).toThrow(MoneyError);
    expect(() => money.fromDecimalString('1.5', 'HUF')).toThrow('HUF has 0');
  });

  it('round-trips any amount the provider can express', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (units) => {
        const huf = money.fromMinorUnitInteger(units, 'HUF');
        expect(money.toMinorUnitInteger(huf)).toBe(units);
        expect(money.fromDecimalString(money.toDecimalString(huf), 'HUF')).toEqual(huf);
      }),
    );
  });

  it('changes nothing without overrides', () => {
    expect(toDecimalString({ amount: 15000, currency: 'HUF' })).toBe('150.00');
    expect(toMinorUnitInteger({ amount: 15050, currency: 'HUF' })).toBe(15050);
  });
});
