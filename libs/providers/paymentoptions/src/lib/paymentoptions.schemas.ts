import { z } from 'zod';

/** The capture endpoint, from the page's heading (the curl sample repeats `/api/v1` by mistake). */
export const CAPTURE_PATH = '/api/v1/server-to-server-interface/capture';

/** The documented format is `Basic <key>`; a key configured with its `Basic ` prefix is sent as is. */
export function authorizationHeader(key: string): string {
  return /^basic\s/i.test(key) ? key : `Basic ${key}`;
}

/** The documented request body. `amount` is an integer in the currency's minor unit (assumed). */
export const PaymentOptionsCaptureRequestSchema = z.object({
  transactionId: z.string().min(1),
  amount: z.int().positive(),
  merchant_id: z.string().min(1),
  notes: z.string().optional(),
});

export type PaymentOptionsCaptureRequest = z.infer<typeof PaymentOptionsCaptureRequestSchema>;

/** `gateway_response`: `INFO0001` on success; on errors we assume `type: 'ERROR'` with a code. */
export const PaymentOptionsGatewayResponseSchema = z.object({
  type: z.string().nullish(),
  code: z.string().nullish(),
  message: z.string().nullish(),
});

/**
 * The documented 201 body, reduced to what the mapper reads. Unknown keys are stripped, so the
 * parsed value carries no more card data than `card.number`, which the mapper masks at once.
 */
export const PaymentOptionsCaptureSuccessSchema = z.object({
  success: z.literal(true),
  transaction_type: z.literal('CAPTURE'),
  gateway_response: PaymentOptionsGatewayResponseSchema,
  payment_details: z.object({
    amount: z.int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    auth_code: z.string().max(64).nullish(),
    scheme: z.string().nullish(),
    card: z.object({ number: z.string().nullish() }).nullish(),
  }),
  transaction_details: z.object({
    id: z.string().min(1).max(128),
    ref: z.union([z.int(), z.string().max(256)]).nullish(),
  }),
});

export type PaymentOptionsCaptureSuccess = z.infer<typeof PaymentOptionsCaptureSuccessSchema>;

/**
 * Error bodies are undocumented. Assumed: the same envelope with `success: false` and a
 * `gateway_response { type: 'ERROR', code, message }`, sent with a non-2xx status.
 */
export const PaymentOptionsErrorBodySchema = z.object({
  success: z.literal(false),
  gateway_response: PaymentOptionsGatewayResponseSchema.nullish(),
});

export type PaymentOptionsErrorBody = z.infer<typeof PaymentOptionsErrorBodySchema>;

/** A 2xx: the success envelope, or the same envelope saying `success: false` (nothing captured). */
export const PaymentOptionsCaptureAnswerSchema = z.union([PaymentOptionsCaptureSuccessSchema, PaymentOptionsErrorBodySchema]);

export type PaymentOptionsCaptureAnswer = z.infer<typeof PaymentOptionsCaptureAnswerSchema>;

/**
 * Our assumed error codes (the docs list none). The sandbox sends them; the mapper reads them,
 * and falls back on the HTTP status for any code it does not know.
 */
export const PAYMENTOPTIONS_ERROR_CODES = {
  declined: 'ERR_CAPTURE_DECLINED',
  amountExceedsAuthorised: 'ERR_AMOUNT_EXCEEDS_AUTHORISED',
  transactionNotFound: 'ERR_TRANSACTION_NOT_FOUND',
  alreadyCaptured: 'ERR_ALREADY_CAPTURED',
  unauthorized: 'ERR_UNAUTHORIZED',
  merchantMismatch: 'ERR_MERCHANT_MISMATCH',
  invalidRequest: 'ERR_INVALID_REQUEST',
  unavailable: 'ERR_SERVICE_UNAVAILABLE',
} as const;
