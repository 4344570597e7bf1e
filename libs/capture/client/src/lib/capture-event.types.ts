import type { Capture, CaptureStatus } from './capture.types.js';

/** Who moved a capture: the API's own call, a provider webhook, the reconciler's status check, an operator. */
export type StatusSource = 'api' | 'webhook' | 'reconciler' | 'operator';

/** One event type per status a capture can come to. */
export type CaptureEventType = `capture.${CaptureStatus}`;

/**
 * What the service pushes when a capture comes to a status: its first answer, then every change.
 * `id` is stable across redeliveries: deduplicate on it. `sequence` counts a capture's events from
 * 1: drop an event whose sequence is not higher than the last one you applied for that capture.
 */
export interface CaptureEventOf<S extends CaptureStatus> {
  /** `evt_…` */
  id: string;
  type: `capture.${S}`;
  /** ISO 8601 date-time. */
  createdAt: string;
  sequence: number;
  data: {
    /** The capture as it was when it came to this status. */
    capture: Capture & { status: S };
    /** The status before this change; absent on a capture's first event. */
    previousStatus?: CaptureStatus;
    source: StatusSource;
  };
}

export type CapturePendingEvent = CaptureEventOf<'pending'>;
export type CaptureSucceededEvent = CaptureEventOf<'succeeded'>;
export type CaptureFailedEvent = CaptureEventOf<'failed'>;
export type CaptureUnknownEvent = CaptureEventOf<'unknown'>;

/** Every event the service sends, discriminated on `type`. */
export type CaptureEvent = CapturePendingEvent | CaptureSucceededEvent | CaptureFailedEvent | CaptureUnknownEvent;
