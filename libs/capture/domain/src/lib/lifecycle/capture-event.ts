import type { CaptureRecord } from '../capture/capture.schemas';
import type { CaptureStatus } from '../capture/capture-status';
import { type CaptureEvent, captureEventType, type StatusSource } from '../events/capture-event.schemas';
import type { DeliveryTarget } from '../events/event-subscription';
import type { EventWrite } from './settlement';

/**
 * The event a change writes to the outbox: the capture as it stands after it, numbered in the
 * capture's sequence (the previous status only from the second event on), and the subscriptions of
 * the capture's own client that take its type.
 */
export function captureEventWrite(
  record: CaptureRecord,
  change: { id: string; sequence: number; previous: CaptureStatus; source: StatusSource },
  clientId: string,
  subscriptions: readonly DeliveryTarget[],
): EventWrite {
  const event: CaptureEvent = {
    id: change.id,
    type: captureEventType(record.status),
    createdAt: record.updatedAt,
    sequence: change.sequence,
    data: { capture: record, ...(change.sequence > 1 ? { previousStatus: change.previous } : {}), source: change.source },
  };
  const subscriptionIds = subscriptions.filter((s) => s.clientId === clientId && s.types.includes(event.type)).map((s) => s.subscriptionId);
  return { event, subscriptionIds };
}
