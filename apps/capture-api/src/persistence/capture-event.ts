import { type CaptureEvent, captureEventType, type CaptureRecord, type CaptureStatus, type StatusSource } from '@capture-gateway/domain';

/** The event a status change writes to the outbox: the capture as it stood after the change. */
export function captureEvent(
  record: CaptureRecord,
  change: { id: string; sequence: number; previous?: CaptureStatus; source: StatusSource },
): CaptureEvent {
  return {
    id: change.id,
    type: captureEventType(record.status),
    createdAt: record.updatedAt,
    sequence: change.sequence,
    data: { capture: record, ...(change.previous ? { previousStatus: change.previous } : {}), source: change.source },
  };
}
