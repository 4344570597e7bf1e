import { z } from 'zod';
import { ERROR_CODES } from '../errors/error-codes';
import { MoneySchema } from '../money/money.schemas';
import { checkJson, PROVIDER_OPTIONS_LIMITS, safeText } from '../text/safe-text';
import { CAPTURE_STATUSES } from './capture-status';
import { MaskedCardSchema } from './card';

export const CaptureStatusSchema = z.enum(CAPTURE_STATUSES).meta({ id: 'CaptureStatus' });
export const ErrorCodeSchema = z.enum(ERROR_CODES).meta({ id: 'ErrorCode' });

export const CaptureIdSchema = z.string().regex(/^cap_[0-9A-Za-z]{8,64}$/, { error: 'must be a capture id such as "cap_01J…"' });

/** Ids that name things in configuration: accounts, plugins, API clients. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const SlugSchema = z.string().regex(SLUG_PATTERN, { error: 'must be lower-case letters, digits, "-" or "_"' });

// Keys and values are stored and returned: safe text, with no card number.
export const MetadataSchema = z
  .record(safeText({ min: 1, max: 40, refuseCardNumbers: true }), safeText({ max: 500, multiline: true, refuseCardNumbers: true }))
  .refine((m) => Object.keys(m).length <= 50, { error: 'has more than 50 keys' })
  .describe('Your own key/value pairs, stored with the capture and returned as given');

/** What a product team asks for. `amount` absent: capture everything authorised, where allowed. */
export const CaptureRequestSchema = z
  .object({
    account: SlugSchema.describe('The provider account to capture on'),
    authorisationId: safeText({ min: 1, max: 128, refuseCardNumbers: 'whole' }).describe("The provider's reference of the authorisation"),
    amount: MoneySchema.optional(),
    // Tabs and line breaks allowed: a description may be a few lines. No other control character.
    description: safeText({ max: 255, multiline: true, refuseCardNumbers: true }).optional(),
    metadata: MetadataSchema.optional(),
    // Checked here only for what every plugin needs (depth, size, safe text); the plugin validates the rest.
    providerOptions: z
      .record(z.string(), z.unknown())
      .superRefine((options, ctx) => checkJson(options, PROVIDER_OPTIONS_LIMITS, ctx))
      .optional()
      .describe("Provider-specific fields, validated by the account's plugin"),
    final: z
      .boolean()
      .optional()
      .describe(
        'false: more captures of this authorisation may follow (providers that capture several times). Absent or true: the last one; it closes the authorisation',
      ),
    authorisedAmount: MoneySchema.optional().describe(
      'The amount the authorisation was for. Given once (the first capture that gives it), the gateway refuses, before sending, any capture that would take the total past it',
    ),
  })
  .strict()
  .meta({ id: 'CaptureRequest' });

export type CaptureRequest = z.infer<typeof CaptureRequestSchema>;

/** The provider's names for what it did: its capture id, auth code and any other reference. */
export const ProviderReferencesSchema = z
  .object({
    captureId: z.string().max(128).optional(),
    authCode: z.string().max(64).optional(),
    other: z.record(z.string(), z.string().max(256)).optional(),
  })
  .strict()
  .meta({ id: 'ProviderReferences' });

export type ProviderReferences = z.infer<typeof ProviderReferencesSchema>;

/** Why a capture failed or is unknown: our stable code, with the provider's own beside it. */
export const CaptureErrorSchema = z
  .object({
    code: ErrorCodeSchema,
    message: z.string(),
    provider: z.object({ code: z.string().optional(), message: z.string().optional() }).strict().optional(),
  })
  .strict()
  .meta({ id: 'CaptureError' });

export type CaptureError = z.infer<typeof CaptureErrorSchema>;

export const CaptureRecordSchema = z
  .object({
    id: CaptureIdSchema,
    account: SlugSchema,
    provider: SlugSchema,
    authorisationId: z.string(),
    requestedAmount: MoneySchema.optional(),
    capturedAmount: MoneySchema.optional(),
    status: CaptureStatusSchema,
    error: CaptureErrorSchema.optional(),
    providerReferences: ProviderReferencesSchema,
    card: MaskedCardSchema.optional(),
    description: z.string().optional(),
    metadata: MetadataSchema.optional(),
    final: z.literal(false).optional().describe('false: a partial capture that leaves the authorisation open; absent: final'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'Capture' });

export type CaptureRecord = z.infer<typeof CaptureRecordSchema>;
