import type { CaptureEventType } from '@capture-gateway/domain';

/** An event as the outbox keeps it: the JSON a receiver gets, byte for byte, and what it is filed under. */
export interface StoredEvent {
  id: string;
  /** The client whose capture it is: the only one that may see or receive it. */
  clientId: string;
  account: string;
  captureId: string;
  type: CaptureEventType;
  sequence: number;
  payload: string;
  createdAt: string;
}

export interface EventFilter {
  clientId: string;
  type?: CaptureEventType;
  captureId?: string;
  /** Keyset cursor: the id of the last event of the previous page (ids sort by time). */
  after?: string;
  /** Only events at or after this instant (the retention window). */
  since?: Date;
  limit: number;
}

/** One event's delivery to one subscription, and its attempts so far. */
export interface DeliveryState {
  subscriptionId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: string;
}

/** The outbox of capture events: written by the status changes themselves, read here. */
export interface CaptureEventStore {
  /** A client's events, oldest first. */
  list(filter: EventFilter): Promise<StoredEvent[]>;
  find(clientId: string, id: string): Promise<StoredEvent | undefined>;
  /** The event's deliveries, by subscription. */
  deliveries(eventId: string): Promise<DeliveryState[]>;
}
