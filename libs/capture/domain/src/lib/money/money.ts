import { MoneyError } from '../errors/domain.errors';
import { currencyExponent } from './currency';
import type { Money } from './money.schemas';

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
export function toDecimalString({ amount, currency }: Money): string {
  assertMinorUnits(amount);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(amount).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * A provider's decimal string back to minor units, with string arithmetic only, so no amount is
 * ever rounded. More decimals than the currency has ("1.5" JPY, "1.005" USD) is an error.
 */
export function fromDecimalString(value: string, currency: string, param?: string): Money {
  const exponent = currencyExponent(currency);
  const match = DECIMAL.exec(value);
  if (!match) throw new MoneyError(`"${value}" is not a decimal amount such as "150.00"`, param);
  const [, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new MoneyError(`"${value}" has ${fraction.length} decimal places; ${currency} has ${exponent}`, param);
  }
  const amount = Number(`${whole}${fraction.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(amount)) throw new MoneyError(`"${value}" is too large an amount`, param);
  return { amount, currency };
}

/** Minor units as the integer a provider takes (PaymentOptions' `amount`), checked to be exact. */
export function toMinorUnitInteger({ amount }: Money): number {
  assertMinorUnits(amount);
  return amount;
}

/** A provider's integer of minor units back to money, refusing anything but a whole number. */
export function fromMinorUnitInteger(amount: number, currency: string, param?: string): Money {
  currencyExponent(currency);
  assertMinorUnits(amount, param);
  return { amount, currency };
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

/** For messages: "150.00 USD". */
export function formatMoney(money: Money): string {
  return `${toDecimalString(money)} ${money.currency}`;
}
