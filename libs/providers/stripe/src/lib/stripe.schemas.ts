import { z } from 'zod';

/** The API version this plugin was written from and sends as `Stripe-Version` (the `stripe` package 23.1.0's). */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** How long Stripe keeps an idempotency key: "at least 24 hours old" before it may be pruned. */
export const STRIPE_IDEMPOTENCY_WINDOW_SECONDS = 86_400;

/** Our capture id, written into the PaymentIntent's metadata so its events name the capture. */
export const CAPTURE_ID_METADATA_KEY = 'capture_gateway_capture_id';
/**
 * Written by a capture that is not final. Stripe keeps metadata across updates, so the intent's later
 * events carry it: their amounts are then running totals of several captures, none of them ours alone.
 */
export const MULTICAPTURE_METADATA_KEY = 'capture_gateway_multicapture';

// Relative to the account's baseUrl; `encodedIntent` comes percent-encoded from the skeleton's `ids`.
export const capturePath = (encodedIntent: string) => `v1/payment_intents/${encodedIntent}/capture`;
export const intentPath = (encodedIntent: string) => `v1/payment_intents/${encodedIntent}`;

/** POST /v1/payment_intents/{intent}/capture, form-encoded: only what we send. */
export const StripeCaptureRequestSchema = z
  .object({
    amount_to_capture: z.int().positive().optional(),
    metadata: z.record(z.string(), z.string()),
    final_capture: z.literal(false).optional(),
  })
  .strict();
export type StripeCaptureRequest = z.infer<typeof StripeCaptureRequestSchema>;

export const STRIPE_INTENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'canceled',
  'succeeded',
] as const;
export type StripeIntentStatus = (typeof STRIPE_INTENT_STATUSES)[number];

// `latest_charge` is an id, or the Charge when expanded: either way we keep its id.
const LatestChargeSchema = z.union([z.string().min(1).max(255), z.object({ id: z.string().min(1).max(255) }).loose()]).nullable();

/** Stripe's error object: `type` always, the rest where it applies. */
export const StripeErrorSchema = z
  .object({
    type: z.string().min(1),
    code: z.string().optional(),
    decline_code: z.string().optional(),
    message: z.string().optional(),
    param: z.string().optional(),
    payment_intent: z.object({ status: z.string().optional() }).loose().optional(),
  })
  .loose();
export type StripeError = z.infer<typeof StripeErrorSchema>;

/** A PaymentIntent: only what the mapper reads; every other field passes unread. */
export const StripePaymentIntentSchema = z
  .object({
    id: z.string().min(1).max(255),
    object: z.literal('payment_intent'),
    status: z.enum(STRIPE_INTENT_STATUSES),
    amount: z.int().nonnegative(),
    amount_received: z.int().nonnegative(),
    currency: z.string().regex(/^[a-z]{3}$/),
    latest_charge: LatestChargeSchema.optional(),
    last_payment_error: StripeErrorSchema.nullable().optional(),
    cancellation_reason: z.string().nullable().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .loose();
export type StripePaymentIntent = z.infer<typeof StripePaymentIntentSchema>;

/**
 * The 2xx answer to a capture: a PaymentIntent whose status a capture can leave it in (succeeded;
 * requires_capture after a non-final partial capture; processing). Any other is not an answer we
 * know, so `provider_response_invalid` and never a success.
 */
export const StripeCaptureAnswerSchema = StripePaymentIntentSchema.extend({
  status: z.enum(['succeeded', 'requires_capture', 'processing']),
});
export type StripeCaptureAnswer = z.infer<typeof StripeCaptureAnswerSchema>;

/** Every non-2xx answer: `{ "error": { type, code, decline_code, message, … } }`. */
export const StripeErrorBodySchema = z.object({ error: StripeErrorSchema }).loose();
export type StripeErrorBody = z.infer<typeof StripeErrorBodySchema>;

/** A Charge, as `charge.captured` carries it: only what the mapper reads. */
export const StripeChargeSchema = z
  .object({
    id: z.string().min(1).max(255),
    object: z.literal('charge'),
    amount_captured: z.int().nonnegative(),
    currency: z.string().regex(/^[a-z]{3}$/),
    captured: z.boolean(),
    payment_intent: z.string().min(1).max(255).nullable(),
    metadata: z.record(z.string(), z.string()).optional(),
    payment_method_details: z
      .object({ card: z.object({ brand: z.string().nullable().optional(), last4: z.string().nullable().optional() }).loose().optional() })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();
export type StripeCharge = z.infer<typeof StripeChargeSchema>;

/** Any event, before its type says what `data.object` is. */
export const StripeEventSchema = z
  .object({
    id: z.string().min(1).max(255),
    object: z.literal('event'),
    type: z.string().min(1).max(255),
    data: z.object({ object: z.record(z.string(), z.unknown()) }).loose(),
  })
  .loose();
export type StripeEvent = z.infer<typeof StripeEventSchema>;
