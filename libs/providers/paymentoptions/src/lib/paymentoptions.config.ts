import { isKnownCurrency } from '@capture-gateway/domain';
import { secret } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

/**
 * What one PaymentOptions account needs. Both credentials are secrets; the docs allow them to differ.
 * Strict, so a misspelt field stops start-up instead of being ignored.
 */
export const PaymentOptionsConfigSchema = z
  .object({
    baseUrl: z.url().describe('Host of the PaymentOptions API, without the path, e.g. https://api-dev.paymentoptions.com'),
    authorizationKey: secret('Sent as `Authorization: Basic <authorizationKey>`'),
    apiKey: secret('Sent as `x-api-key: <apiKey>`'),
    merchantId: z.string().min(1).describe('The PaymentOptions merchant id, sent as `merchant_id`'),
    // Required: PaymentOptions' request has no currency, so a capture asked in another currency than
    // the account's would capture another amount. There is no safe default to guess.
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { error: 'must be an upper-case ISO 4217 code such as "JPY"' })
      .refine(isKnownCurrency, { error: 'is not an ISO 4217 currency' })
      .describe("The account's currency (ISO 4217): captures in any other are refused with currency_mismatch before sending"),
  })
  .strict();

export type PaymentOptionsConfig = z.infer<typeof PaymentOptionsConfigSchema>;
