import { data as iso4217 } from 'currency-codes';
import { MoneyError } from '../errors/domain.errors';

/** An ISO 4217 currency the gateway can hold money in, with its minor-unit exponent. */
export interface Currency {
  code: string;
  exponent: number;
  name: string;
}

// The package marks entries that are not a country's money (gold, bond units, the testing
// and "no currency" codes) with "Zz…" pseudo-countries; ISO lists no minor unit for them.
const isMoney = (countries: readonly string[]) => !countries.every((c) => c.startsWith('Zz'));

const currencies: ReadonlyMap<string, Currency> = new Map(
  iso4217
    .filter((entry) => isMoney(entry.countries))
    .map((entry) => [entry.code, { code: entry.code, exponent: entry.digits, name: entry.currency }]),
);

export function findCurrency(code: string): Currency | undefined {
  return currencies.get(code);
}

export function isKnownCurrency(code: string): boolean {
  return currencies.has(code);
}

/** The minor-unit exponent of a currency: JPY 0, USD 2, KWD 3. Throws for an unknown code. */
export function currencyExponent(code: string): number {
  const currency = currencies.get(code);
  if (!currency) throw new MoneyError(`"${code}" is not an ISO 4217 currency`, 'currency');
  return currency.exponent;
}

export function knownCurrencies(): Currency[] {
  return [...currencies.values()];
}
