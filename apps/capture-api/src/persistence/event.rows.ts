import type { CaptureEvent } from '@capture-gateway/domain';
import type { StoredEvent } from './capture-events.store';

export interface EventRow {
  id: string;
  client_id: string;
  account: string;
  capture_id: string;
  type: StoredEvent['type'];
  sequence: number;
  payload: string;
  created_at: Date | string;
}

export const storedEvent = (r: EventRow): StoredEvent => ({
  id: r.id,
  clientId: r.client_id,
  account: r.account,
  captureId: r.capture_id,
  type: r.type,
  sequence: Number(r.sequence),
  payload: r.payload,
  createdAt: new Date(r.created_at).toISOString(),
});

// Stands in for the capture while the rest of the event is serialised; JSON writes it escaped, so
// no value of ours can spell it.
const CAPTURE_MARK = '\u0000capture\u0000';
const CAPTURE_MARK_JSON = JSON.stringify(CAPTURE_MARK);

/**
 * An event's payload text, exactly `JSON.stringify(event)`. With `captureJson` (the capture already
 * serialised, for the key's response), the capture is spliced in rather than serialised again.
 */
export function eventPayloadJson(event: CaptureEvent, captureJson?: string): string {
  if (captureJson === undefined) return JSON.stringify(event);
  const capture = event.data.capture;
  const text = JSON.stringify(event, (key, value: unknown) => (key === 'capture' && value === capture ? CAPTURE_MARK : value));
  return text.replace(CAPTURE_MARK_JSON, () => captureJson);
}

/** The capture's JSON when the key's response body is that very capture (a 201 or 202), to share with its event. */
export const sharedCaptureJson = (event: CaptureEvent | undefined, response: { body: unknown; bodyJson?: string } | undefined) =>
  event && response && response.body === event.data.capture ? response.bodyJson : undefined;
