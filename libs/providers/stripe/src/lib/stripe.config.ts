import { secret, secretList } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

/** Stripe's API host; an account names another only for a proxy or a sandbox. */
export const STRIPE_API_BASE_URL = 'https://api.stripe.com';

/** A secret (`sk_`) or restricted (`rk_`) key of either mode: anything else fails at start-up. */
const SecretKeySchema = z.string().regex(/^(sk|rk)_(test|live)_[0-9A-Za-z_]{8,247}$/, {
  error: 'must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)',
});
const WebhookSecretSchema = z.string().regex(/^whsec_[0-9A-Za-z_+/=]{8,250}$/, { error: 'must be a webhook signing secret (whsec_…)' });

/** What one Stripe account needs. Strict, so a misspelt field stops start-up instead of being ignored. */
export const StripeConfigSchema = z
  .object({
    baseUrl: z.url().default(STRIPE_API_BASE_URL).describe('Stripe API host, https://api.stripe.com unless a sandbox or proxy'),
    secretKey: secret(SecretKeySchema, 'Secret or restricted API key, sent as "Authorization: Bearer <secretKey>"'),
    webhookSecret: secret(WebhookSecretSchema, "The webhook endpoint's signing secret (whsec_…), for Stripe-Signature").optional(),
    webhookSecrets: secretList('Several signing secrets at once, during a rotation: a delivery signed with any of them is accepted', {
      max: 5,
    }).optional(),
    webhookToleranceSeconds: z
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe("How far a delivery's signed timestamp may be from its arrival (Stripe's libraries: 300 s)"),
  })
  .strict();

export type StripeConfig = z.output<typeof StripeConfigSchema>;
