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
