import { CaptureIdSchema, CaptureStatusSchema, SlugSchema } from '@capture-gateway/domain';
import { z } from 'zod';

/** `GET /v1/captures` filters; `cursor` is the `nextCursor` of the previous page. */
export const ListCapturesQuerySchema = z
  .object({
    account: SlugSchema.optional(),
    status: CaptureStatusSchema.optional(),
    createdFrom: z.iso.datetime({ offset: true }).optional().describe('Created at or after (ISO 8601)'),
    createdTo: z.iso.datetime({ offset: true }).optional().describe('Created before (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: CaptureIdSchema.optional(),
  })
  .strict();
