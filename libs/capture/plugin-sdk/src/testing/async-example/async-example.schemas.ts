import { z } from 'zod';

// The wire format of an imaginary provider that answers a capture only with "received" and reports
// the result later, by webhooks batched into one JSON body, each item signed on its own (no timestamp).

export const CAPTURE_PATH = 'v2/captures';
export const CAPTURE_EVENTS = ['capture.succeeded', 'capture.failed'] as const;

const Amount = z.object({ value: z.int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });

export const CaptureRequestSchema = z.object({ payment_id: z.string().min(1), amount: Amount, merchant_reference: z.string() });
export type CaptureRequest = z.infer<typeof CaptureRequestSchema>;

/** The only 2xx answer: 202, "received". */
export const ReceivedSchema = z.object({ status: z.literal('received'), capture_ref: z.string().min(1).max(128) });

export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

/** One delivery: several items, each a JSON string and the hex HMAC-SHA256 of exactly that string. */
export const BatchSchema = z.object({
  items: z
    .array(z.object({ payload: z.string(), signature: z.string() }))
    .min(1)
    .max(100),
});

/** An item's payload. Other event types come to the same endpoint and are ignored. */
export const EventSchema = z.object({
  event_id: z.string().min(1).max(128),
  type: z.string(),
  capture_ref: z.string().max(128).optional(),
  merchant_reference: z.string().max(128).optional(),
  payment_id: z.string().max(128).optional(),
  amount: Amount.optional(),
  reason: z.object({ code: z.string(), message: z.string().optional() }).optional(),
});
export type AsyncExampleEvent = z.infer<typeof EventSchema>;
