import { secret, secretList } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

/** Adyen's test Checkout host; live accounts have their own prefix (see the README). */
export const ADYEN_TEST_BASE_URL = 'https://checkout-test.adyen.com';

/** A webhook's HMAC key as the Customer Area shows it: hex (Adyen's are 64 bytes). */
const HmacKeySchema = z.string().regex(/^(?:[0-9A-Fa-f]{2}){16,128}$/, { error: 'must be the hex HMAC key of the webhook' });

/** What one Adyen merchant account needs. Strict, so a misspelt field stops start-up instead of being ignored. */
export const AdyenConfigSchema = z
  .object({
    baseUrl: z
      .url()
      .describe(
        'Checkout API base without the version: https://checkout-test.adyen.com (test), https://<prefix>-checkout-live.adyenpayments.com/checkout (live)',
      ),
    apiKey: secret(z.string().min(8).max(1_000), "The web service user's API key, sent as X-API-Key"),
    merchantAccount: z
      .string()
      .regex(/^[^\s:]{1,255}$/, { error: 'must be the merchant account code, without spaces' })
      .describe('The merchant account the payments were authorised on, sent with every capture'),
    hmacKey: secret(HmacKeySchema, "The webhook's HMAC key (hex), for each item's additionalData.hmacSignature").optional(),
    hmacKeys: secretList('Several HMAC keys at once, during a rotation: an item signed with any of them is accepted', {
      max: 5,
      item: HmacKeySchema,
    }).optional(),
  })
  .strict();

export type AdyenConfig = z.output<typeof AdyenConfigSchema>;

/** Every key the account accepts notifications signed with: `hmacKeys` (a rotation) and `hmacKey`. */
export function hmacKeysOf(config: Pick<AdyenConfig, 'hmacKey' | 'hmacKeys'>): string[] {
  return [...new Set([...(config.hmacKeys ?? []), ...(config.hmacKey ? [config.hmacKey] : [])])];
}
