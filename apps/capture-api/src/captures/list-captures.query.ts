import { CaptureIdSchema, CaptureStatusSchema, SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';

/** `GET /v1/captures` filters: the controller validates with it and the OpenAPI document is generated from it. */
export const ListCapturesQuerySchema = z
  .object({
    account: SlugSchema.optional().describe('Only captures on this account'),
    status: CaptureStatusSchema.optional(),
    createdFrom: z.iso.datetime({ offset: true }).optional().describe('Created at or after this instant (ISO 8601)'),
    createdTo: z.iso.datetime({ offset: true }).optional().describe('Created before this instant (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100; default 20'),
    cursor: CaptureIdSchema.optional().describe('The `nextCursor` of the previous page'),
  })
  .strict();

export type ListCapturesQuery = z.infer<typeof ListCapturesQuerySchema>;
