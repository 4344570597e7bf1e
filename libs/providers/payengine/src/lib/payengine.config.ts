import { secret, secretList } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

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

const FeeCharge = z
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
    preSettlementFeeCharge: FeeCharge.optional(),
    postSettlementFeeCharge: FeeCharge.optional(),
    metadata: z
      .record(z.string().min(1).max(100), z.json())
      .refine((m) => JSON.stringify(m).length <= 8_192, { error: 'is larger than 8 KB once serialised' })
      .optional()
      .describe('Any JSON object, passed to PayEngine as data.metadata'),
  })
  .strict()
  .optional();

export type PayEngineCaptureOptions = z.output<typeof PayEngineCaptureOptionsSchema>;
