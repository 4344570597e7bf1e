import { checkJson, type JsonLimits } from '@capture-gateway/domain';
import { z } from 'zod';

/** The capture endpoint, under the account's `baseUrl` (the host root, without `/api`). */
export const CAPTURE_PATH = 'api/payment/capture';

/**
 * PayEngine's amount strings: major units, at most 12 characters of `0-9` and `.` (its docs).
 * For USD we always send exactly two decimals, so the widest amount is "999999999.99".
 */
export const PAYENGINE_AMOUNT = /^[0-9.]{1,12}$/;
export const PAYENGINE_MAX_AMOUNT_CHARS = 12;

/** `providerOptions.metadata`: any JSON, but bounded, checked before the recursive JSON schema runs. */
export const PAYENGINE_METADATA_LIMITS: JsonLimits = { maxDepth: 5, maxNodes: 500 };
export const PayEngineMetadataSchema = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => checkJson(value, PAYENGINE_METADATA_LIMITS, ctx))
  .pipe(z.record(z.string(), z.json()));

// A decimal amount as PayEngine writes it back ("1.00", "1", "0.10").
const PayEngineDecimalAmountSchema = z.string().regex(/^\d+(\.\d+)?$/, { error: 'must be a decimal amount such as "150.00"' });

/** POST /api/payment/capture. `transaction_amount` absent: capture everything authorised. */
export const PayEngineCaptureRequestSchema = z
  .object({
    id: z.string().min(1),
    data: z
      .object({
        transaction_amount: z.string().regex(PAYENGINE_AMOUNT).optional(),
        pre_settlement_fee_charge: z.string().regex(PAYENGINE_AMOUNT).optional(),
        post_settlement_fee_charge: z.string().regex(PAYENGINE_AMOUNT).optional(),
        metadata: PayEngineMetadataSchema.optional(),
      })
      .strict(),
  })
  .strict();

export type PayEngineCaptureRequest = z.infer<typeof PayEngineCaptureRequestSchema>;

export const PAYENGINE_STATUSES = ['PASS', 'FAIL', 'PENDING_3DSAUTH'] as const;
export type PayEngineStatus = (typeof PAYENGINE_STATUSES)[number];

/**
 * `capture_response`, as both the capture answer and the PAYMENT_CAPTURED webhook carry it.
 * Only what the mapper reads is declared; the rest (receipts, fraud scores, timestamps) is
 * allowed through unread, so a new field on PayEngine's side breaks nothing.
 */
export const PayEngineCaptureResultSchema = z
  .object({
    status: z.enum(PAYENGINE_STATUSES),
    response_code: z.string().optional(),
    response_message: z.string().optional(),
    // Limits are the capture model's, so a reference we keep always fits it.
    auth_code: z.string().max(64).optional(),
    host_reference_number: z.string().max(256).optional(),
    task_id: z.string().max(256).optional(),
    transaction_id: z.string().max(256).optional(),
    processed_amount: PayEngineDecimalAmountSchema.optional(),
    masked_card_number: z.string().optional(),
    card_type: z.string().optional(),
  })
  .loose();

export type PayEngineCaptureResult = z.infer<typeof PayEngineCaptureResultSchema>;

/** The capture answer: one flat object, `capture_response` inside (documented fields we read). */
export const PayEngineCaptureAnswerSchema = z
  .object({
    id: z.string().optional(),
    transaction_id: z.string().max(128).optional(),
    capture_response: PayEngineCaptureResultSchema,
  })
  .loose();

export type PayEngineCaptureAnswer = z.infer<typeof PayEngineCaptureAnswerSchema>;

/**
 * A non-2xx body. PayEngine does not document one; we read `{ "error": "<code>", "message": "<text>" }`
 * (the shape our sandbox sends) and fall back on the HTTP status for anything else.
 */
export const PayEngineErrorBodySchema = z
  .object({
    error: z.string().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
  })
  .loose();

export type PayEngineErrorBody = z.infer<typeof PayEngineErrorBodySchema>;

/** Just enough of any delivery to know which event it is, before reading the rest. */
export const PayEngineWebhookEnvelopeSchema = z.object({ event: z.string(), event_uid: z.string() }).loose();

/** The PAYMENT_CAPTURED webhook: the capture's result, keyed by `data.payment_id` and `event_uid`. */
export const PayEngineWebhookSchema = z
  .object({
    event_uid: z.string().min(1).max(128),
    event: z.string().min(1),
    data: z
      .object({
        payment_id: z.string().min(1).max(128),
        transaction_id: z.string().max(128).optional(),
        capture_response: PayEngineCaptureResultSchema,
      })
      .loose(),
  })
  .loose();

export type PayEngineWebhook = z.infer<typeof PayEngineWebhookSchema>;
