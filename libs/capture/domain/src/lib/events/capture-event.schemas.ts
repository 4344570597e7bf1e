import { z } from 'zod';
import { CaptureRecordSchema, CaptureStatusSchema } from '../capture/capture.schemas';
import type { CaptureStatus } from '../capture/capture-status';

/** Who moved a capture: the API's own call, a provider webhook, the reconciler's status check, an operator. */
export const STATUS_SOURCES = ['api', 'webhook', 'reconciler', 'operator'] as const;
export type StatusSource = (typeof STATUS_SOURCES)[number];

/** One event type per status a capture can come to. */
export const CAPTURE_EVENT_TYPES = ['capture.pending', 'capture.succeeded', 'capture.failed', 'capture.unknown'] as const;
export type CaptureEventType = (typeof CAPTURE_EVENT_TYPES)[number];

export const captureEventType = (status: CaptureStatus): CaptureEventType => `capture.${status}`;

/**
 * What a product team is told when a capture comes to a status: its first answer, then every
 * change. `sequence` counts a capture's events from 1: a receiver that has applied a higher one
 * drops a late arrival. `id` is stable across redeliveries: deduplicate on it.
 */
export const CaptureEventSchema = z
  .object({
    id: z.string().regex(/^evt_[0-9A-Za-z]{8,64}$/),
    type: z.enum(CAPTURE_EVENT_TYPES),
    createdAt: z.iso.datetime(),
    sequence: z.int().min(1),
    data: z
      .object({
        capture: CaptureRecordSchema,
        /** The status before this change; absent on a capture's first event. */
        previousStatus: CaptureStatusSchema.optional(),
        source: z.enum(STATUS_SOURCES),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'CaptureEvent' });

export type CaptureEvent = z.infer<typeof CaptureEventSchema>;
