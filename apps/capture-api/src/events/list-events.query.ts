import { CAPTURE_EVENT_TYPES, CaptureIdSchema } from '@capture-gateway/domain';
import { z } from 'zod';

export const EventIdSchema = z.string().regex(/^evt_[0-9A-Za-z]{8,64}$/, { error: 'must be an event id such as "evt_01J…"' });

/** `GET /v1/events` filters: the controller validates with it and the OpenAPI document is generated from it. */
export const ListEventsQuerySchema = z
  .object({
    type: z.enum(CAPTURE_EVENT_TYPES).optional().describe('Only events of this type'),
    captureId: CaptureIdSchema.optional().describe('Only the events of this capture'),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100; default 20'),
    cursor: EventIdSchema.optional().describe('The `nextCursor` of the previous page'),
  })
  .strict();

export type ListEventsQuery = z.infer<typeof ListEventsQuerySchema>;
