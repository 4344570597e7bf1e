import { z } from 'zod';

// The wire format of an imaginary provider that answers a capture at once and lets us look a
// capture up by the reference we sent with it (our capture id): what a status check needs.

export const CAPTURE_PATH = 'v1/captures';
/** The status endpoint of one capture, by our reference. */
/** `encodedReference`: already percent-encoded (the skeleton's `ids.captureId`). */
export const statusPath = (encodedReference: string) => `v1/captures/by-reference/${encodedReference}`;
/** The code of the documented 404 for a reference the provider never received. */
export const NOT_FOUND_CODE = 'capture_not_found';

const Amount = z.object({ value: z.int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });

export const CaptureRequestSchema = z.object({ payment_id: z.string().min(1), amount: Amount, reference: z.string().min(1) });
export type CaptureRequest = z.infer<typeof CaptureRequestSchema>;

/** The answer to a capture, and to a status check of one: the same body. */
export const CaptureSchema = z.object({
  capture_ref: z.string().min(1).max(128),
  reference: z.string(),
  state: z.enum(['captured', 'declined']),
  amount: Amount,
  decline: z.object({ code: z.string(), message: z.string().optional() }).optional(),
  card: z.object({ last4: z.string().regex(/^\d{4}$/) }).optional(),
});
export type Capture = z.infer<typeof CaptureSchema>;

export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });
