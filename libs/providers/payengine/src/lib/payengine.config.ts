import { secret, secretList } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';
import { PayEngineMetadataSchema } from './payengine.schemas';

// "999999999.99": the widest USD amount PayEngine's 12-character strings can carry.
export const MAX_USD_MINOR_UNITS = 99_999_999_999;

/** What one PayEngine account needs. Strict, so a misspelt field stops start-up instead of being ignored. */
export const PayEngineConfigSchema = z
  .object({
    baseUrl: z.url().describe('PayEngine host for this environment, e.g. https://console.payengine.co (no trailing /api)'),
    secretKey: secret('Secret API key, sent as "Authorization: Basic <secretKey>"'),
    webhookSecret: secret('Shared secret that signs PAYMENT_CAPTURED deliveries (x-payengine-signature)').optional(),
    webhookSecrets: secretList(
      'Several webhook secrets at once, during a rotation: a delivery signed with any of them (or with webhookSecret) is accepted',
    ).optional(),
    webhookToleranceSeconds: z
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe("How far a delivery's signed timestamp may be from now before it is refused as stale"),
  })
  .strict();

export type PayEngineConfig = z.output<typeof PayEngineConfigSchema>;

const PayEngineFeeChargeSchema = z
  .int()
  .min(0)
  .max(MAX_USD_MINOR_UNITS)
  .describe("Integer minor units (cents) in the capture's currency; sent as a decimal string");

/**
 * PayEngine-only capture fields, accepted under `providerOptions`. Strict: an unknown field is an
 * error, not silently dropped. Absent as a whole when the request has no `providerOptions`.
 */
export const PayEngineCaptureOptionsSchema = z
  .object({
    preSettlementFeeCharge: PayEngineFeeChargeSchema.optional(),
    postSettlementFeeCharge: PayEngineFeeChargeSchema.optional(),
    // Bounded in depth and size before the recursive JSON check runs: a deep body is a 400, not a stack overflow.
    metadata: PayEngineMetadataSchema.refine((m) => Object.keys(m).every((k) => k.length >= 1 && k.length <= 100), {
      error: 'has a key that is empty or longer than 100 characters',
    })
      .refine((m) => JSON.stringify(m).length <= 8_192, { error: 'is larger than 8 KB once serialised' })
      .optional()
      .describe('Any JSON object, passed to PayEngine as data.metadata'),
  })
  .strict()
  .optional();

export type PayEngineCaptureOptions = z.output<typeof PayEngineCaptureOptionsSchema>;
