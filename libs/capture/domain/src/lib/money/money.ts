import { MoneyError } from '../errors/domain.errors';
import { currencyExponent } from './currency';
import type { Money } from './money.schemas';

/**
 * A provider's own minor-unit exponents where they differ from ISO 4217 (some write HUF or ISK
 * without decimals, say): `{ HUF: 0 }`. Our `Money` always stays in ISO minor units; only what
 * goes to and comes from the provider is written with the override.
 */
export type MinorUnitOverrides = Readonly<Record<string, number>>;

/** The exponent a provider writes a currency with: its override, else ISO 4217's. */
export function providerExponent(currency: string, minorUnits?: MinorUnitOverrides): number {
  const iso = currencyExponent(currency);
  const override = minorUnits?.[currency];
  if (override === undefined) return iso;
  if (!Number.isInteger(override) || override < 0 || override > 4) {
    throw new MoneyError(`The minor-unit override for ${currency} must be a whole number from 0 to 4, got ${override}`);
  }
  return override;
}

/** ISO minor units to the provider's, exactly: 15000 HUF (ISO 2) is 150 at exponent 0; 15050 cannot be. */
function toProviderUnits({ amount, currency }: Money, minorUnits?: MinorUnitOverrides): { units: number; exponent: number } {
  const exponent = providerExponent(currency, minorUnits);
  const shift = exponent - currencyExponent(currency);
  if (shift >= 0) {
    const units = amount * 10 ** shift;
    if (!Number.isSafeInteger(units)) throw new MoneyError(`${amount} ${currency} minor units is too large an amount`);
    return { units, exponent };
  }
  const divisor = 10 ** -shift;
  if (amount % divisor !== 0) {
    throw new MoneyError(
      `${amount} ${currency} minor units cannot be written with ${exponent} decimals, as this provider writes ${currency}`,
    );
  }
  return { units: amount / divisor, exponent };
}

/** The provider's minor units back to ISO ones, exactly (the reverse of `toProviderUnits`). */
function fromProviderUnits(units: number, currency: string, minorUnits: MinorUnitOverrides | undefined, param?: string): number {
  const shift = currencyExponent(currency) - providerExponent(currency, minorUnits);
  if (shift >= 0) {
    const amount = units * 10 ** shift;
    if (!Number.isSafeInteger(amount)) throw new MoneyError(`${units} is too large an amount`, param);
    return amount;
  }
  const divisor = 10 ** -shift;
  if (units % divisor !== 0) throw new MoneyError(`${units} has more precision than ${currency} has minor units`, param);
  return units / divisor;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function assertMinorUnits(amount: number, param?: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new MoneyError(`Amount must be a non-negative whole number of minor units, got ${amount}`, param);
  }
}

/**
 * Minor units to the decimal string providers take in major units: 15000 USD -> "150.00",
 * 1000 JPY -> "1000", 1234 KWD -> "1.234". Always exactly the currency's number of decimals.
 */
export function toDecimalString(money: Money, minorUnits?: MinorUnitOverrides): string {
  assertMinorUnits(money.amount);
  const { units, exponent } = toProviderUnits(money, minorUnits);
  if (exponent === 0) return String(units);
  const digits = String(units).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * A provider's decimal string back to minor units, with string arithmetic only, so no amount is
 * ever rounded. More decimals than the currency has ("1.5" JPY, "1.005" USD) is an error. With an
 * override, the string is read at the provider's exponent and returned in ISO minor units.
 */
export function fromDecimalString(value: string, currency: string, param?: string, minorUnits?: MinorUnitOverrides): Money {
  const exponent = providerExponent(currency, minorUnits);
  const match = DECIMAL.exec(value);
  if (!match) throw new MoneyError(`"${value}" is not a decimal amount such as "150.00"`, param);
  const [, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new MoneyError(`"${value}" has ${fraction.length} decimal places; ${currency} has ${exponent}`, param);
  }
  const units = Number(`${whole}${fraction.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(units)) throw new MoneyError(`"${value}" is too large an amount`, param);
  return { amount: fromProviderUnits(units, currency, minorUnits, param), currency };
}

/** Minor units as the integer a provider takes (PaymentOptions' `amount`), checked to be exact. */
export function toMinorUnitInteger(money: Money, minorUnits?: MinorUnitOverrides): number {
  assertMinorUnits(money.amount);
  return toProviderUnits(money, minorUnits).units;
}

/** A provider's integer of minor units back to money, refusing anything but a whole number. */
export function fromMinorUnitInteger(amount: number, currency: string, param?: string, minorUnits?: MinorUnitOverrides): Money {
  currencyExponent(currency);
  assertMinorUnits(amount, param);
  return { amount: fromProviderUnits(amount, currency, minorUnits, param), currency };
}

/** The four conversions bound to one provider's overrides, for a plugin to use everywhere. */
export function moneyConversions(minorUnits?: MinorUnitOverrides) {
  return {
    exponent: (currency: string) => providerExponent(currency, minorUnits),
    toDecimalString: (money: Money) => toDecimalString(money, minorUnits),
    fromDecimalString: (value: string, currency: string, param?: string) => fromDecimalString(value, currency, param, minorUnits),
    toMinorUnitInteger: (money: Money) => toMinorUnitInteger(money, minorUnits),
    fromMinorUnitInteger: (amount: number, currency: string, param?: string) => fromMinorUnitInteger(amount, currency, param, minorUnits),
  };
}

export type MoneyConversions = ReturnType<typeof moneyConversions>;

export function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

/** For messages: "150.00 USD". */
export function formatMoney(money: Money): string {
  return `${toDecimalString(money)} ${money.currency}`;
}
