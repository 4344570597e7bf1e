import { CaptureIdSchema, CaptureStatusSchema, safeText, SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';

/** `GET /v1/captures` filters: the controller validates with it and the OpenAPI document is generated from it. */
export const ListCapturesQuerySchema = z
  .object({
    account: SlugSchema.optional().describe('Only captures on this account'),
    status: CaptureStatusSchema.optional(),
    createdFrom: z.iso.datetime({ offset: true }).optional().describe('Created at or after this instant (ISO 8601)'),
    createdTo: z.iso.datetime({ offset: true }).optional().describe('Created before this instant (ISO 8601)'),
    // Safe text: a NUL or a lone surrogate would reach PostgreSQL's parameters and fail there (a 500).
    authorisationId: safeText({ min: 1, max: 128 }).optional().describe("Only captures of this authorisation (the provider's reference)"),
    providerCaptureId: safeText({ min: 1, max: 128 }).optional().describe('Only the capture with this provider capture reference'),
    olderThan: z.coerce
      .number()
      .int()
      .min(0)
      .max(365 * 86_400)
      .optional()
      .describe('Only captures last changed more than this many seconds ago: with status=unknown, what is stuck'),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100; default 20'),
    cursor: CaptureIdSchema.optional().describe('The `nextCursor` of the previous page'),
  })
  .strict();

export type ListCapturesQuery = z.infer<typeof ListCapturesQuerySchema>;
