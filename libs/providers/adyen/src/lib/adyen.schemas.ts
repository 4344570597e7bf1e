import { z } from 'zod';

// Adyen's Checkout API v71 (CheckoutService-v71, `POST /payments/{paymentPspReference}/captures`) and
// its standard notification webhooks (Webhooks v1, CAPTURE and CAPTURE_FAILED): only what we send and read.

/** The Checkout API version in every path: the account's `baseUrl` is the host (and prefix) without it. */
export const ADYEN_API_VERSION = 'v71';

/** "Idempotency keys are valid for a minimum period of 7 days after first submission." */
export const ADYEN_IDEMPOTENCY_WINDOW_SECONDS = 7 * 86_400;

/** "A unique identifier for the message with a maximum of 64 characters." */
export const ADYEN_MAX_IDEMPOTENCY_KEY = 64;

/** The capture request's `reference`: "Maximum length: 80 characters." */
export const ADYEN_MAX_REFERENCE = 80;

// Relative to the account's baseUrl; `encodedPsp` comes percent-encoded from the skeleton's `ids`.
export const capturePath = (encodedPsp: string) => `${ADYEN_API_VERSION}/payments/${encodedPsp}/captures`;

const Currency = z.string().regex(/^[A-Z]{3}$/);
/** `Amount`: a currency and a value in Adyen's minor units (its own exponents: see `adyen.currencies.ts`). */
export const AdyenAmountSchema = z.object({ currency: Currency, value: z.int().nonnegative() });
export type AdyenAmount = z.infer<typeof AdyenAmountSchema>;

/** `PaymentCaptureRequest`, as we send it: the amount is required, `reference` is our capture id. */
export const AdyenCaptureRequestSchema = z
  .object({ merchantAccount: z.string().min(1), amount: AdyenAmountSchema, reference: z.string().min(1).max(ADYEN_MAX_REFERENCE) })
  .strict();
export type AdyenCaptureRequest = z.infer<typeof AdyenCaptureRequestSchema>;

/**
 * `PaymentCaptureResponse`, the only 2xx (201): "The status of your request. This will always have the
 * value **received**." The outcome comes later, in a CAPTURE notification naming `pspReference`.
 */
export const AdyenCaptureAnswerSchema = z
  .object({
    status: z.literal('received'),
    pspReference: z.string().min(1).max(64),
    paymentPspReference: z.string().min(1).max(64),
    merchantAccount: z.string(),
    amount: AdyenAmountSchema,
    reference: z.string().optional(),
  })
  .loose();
export type AdyenCaptureAnswer = z.infer<typeof AdyenCaptureAnswerSchema>;

/**
 * `ServiceError`, the body of every documented error (400, 401, 403, 422, 500). The document marks no
 * field required; each of its examples has `status` and `errorCode`, which tell it from a proxy's page.
 */
export const AdyenServiceErrorSchema = z
  .object({
    status: z.int(),
    errorCode: z.string().min(1),
    errorType: z.string().optional(),
    message: z.string().optional(),
    pspReference: z.string().optional(),
  })
  .loose();
export type AdyenServiceError = z.infer<typeof AdyenServiceErrorSchema>;

/** The notification event codes that concern a capture; every other code is acknowledged and ignored. */
export const CAPTURE_EVENT_CODES = ['CAPTURE', 'CAPTURE_FAILED'] as const;
export type AdyenCaptureEventCode = (typeof CAPTURE_EVENT_CODES)[number];

// No ":" where the signing string joins fields with ":" unescaped: a value holding one could be split
// differently and still verify. Adyen's references never hold one.
const Reference = z
  .string()
  .max(256)
  .regex(/^[^:]*$/);

/**
 * One `NotificationRequestItem`: the eight fields Adyen signs (`pspReference:originalReference:
 * merchantAccountCode:merchantReference:value:currency:eventCode:success`), the `reason` of a failure
 * and the signature. Checked only after its signature, and only for the capture event codes.
 */
export const AdyenNotificationItemSchema = z
  .object({
    pspReference: Reference.min(1),
    originalReference: Reference.optional(),
    merchantAccountCode: z.string(),
    merchantReference: z.string().max(256),
    amount: AdyenAmountSchema,
    eventCode: z.string().min(1).max(64),
    eventDate: z.string().optional(),
    success: z.enum(['true', 'false']),
    reason: z.string().max(1_000).optional(),
    additionalData: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type AdyenNotificationItem = z.infer<typeof AdyenNotificationItemSchema>;

/**
 * The envelope only (`{ live, notificationItems: [{ NotificationRequestItem }] }`): each item is read on
 * its own, its signature checked before anything in it is trusted.
 */
export const AdyenNotificationBatchSchema = z.object({
  live: z.enum(['true', 'false']).optional(),
  notificationItems: z
    .array(z.object({ NotificationRequestItem: z.record(z.string(), z.unknown()) }))
    .min(1)
    .max(100),
});

/** The answer Adyen expects for an accepted batch: anything else is a failed delivery, sent again. */
export const ADYEN_ACCEPTED = { status: 200, contentType: 'text/plain; charset=utf-8', body: '[accepted]' } as const;
