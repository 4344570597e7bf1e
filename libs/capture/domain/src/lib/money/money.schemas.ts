import { z } from 'zod';
import { isKnownCurrency } from './currency';

export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be an upper-case ISO 4217 code, such as "USD"' })
  .refine(isKnownCurrency, { error: 'is not an ISO 4217 currency' })
  .describe('ISO 4217 currency code');

/** Money as integer minor units (cents for USD, yen for JPY, fils for KWD) and a currency. */
export const MoneySchema = z
  .object({
    amount: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe("Integer number of the currency's minor units"),
    currency: CurrencyCodeSchema,
  })
  .strict()
  .meta({ id: 'Money' });

export type Money = z.infer<typeof MoneySchema>;
