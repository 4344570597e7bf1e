import type { CaptureEventType } from '@capture-gateway/domain';

/** A delivery due now, leased to the caller, with the event's bytes as stored. */
export interface DueDelivery {
  eventId: string;
  subscriptionId: string;
  type: CaptureEventType;
  /** Attempts made before this one. */
  attempts: number;
  /** This claim's number: the attempt's result is recorded only while no later claim was made. */
  claim: number;
  payload: string;
  eventCreatedAt: string;
}

/** Which claim of which delivery an attempt ran under. */
export type ClaimedDelivery = Pick<DueDelivery, 'eventId' | 'subscriptionId' | 'claim'>;

export interface DeliveryAttempt {
  at: Date;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  durationMs: number;
  /** Why it failed (a timeout, a refused connection, a non-2xx), never a secret. */
  error?: string;
}

/** What comes of a delivery after an attempt. */
export type DeliveryNext = { state: 'delivered' } | { state: 'pending'; nextAttemptAt: Date } | { state: 'failed' };

/** A subscription's pending deliveries: how many, and since when the oldest event waits. */
export interface DeliveryBacklog {
  subscriptionId: string;
  pending: number;
  oldestEventAt: string;
}

/** Deliveries of events to subscriptions: leased to one replica at a time, every attempt recorded. */
export interface EventDeliveryStore {
  /**
   * Leases up to `limit` due deliveries of one subscription, less those it already has in flight
   * under a live lease (the per-endpoint cap), until `leaseUntil`.
   */
  claimDue(subscriptionId: string, now: Date, limit: number, leaseUntil: Date): Promise<DueDelivery[]>;
  /**
   * Records an attempt and what comes of the delivery, releasing its lease, at once: only while
   * `claimed.claim` is still the delivery's latest claim. False when it is not (the lease ran out and
   * another attempt took the delivery over: its result stands) or the event was pruned meanwhile.
   */
  recordAttempt(claimed: ClaimedDelivery, attempt: DeliveryAttempt, next: DeliveryNext): Promise<boolean>;
  /**
   * Makes the event due again now for these subscriptions (pending, whatever it was); returns how
   * many. A live lease is kept: an attempt in flight finishes before the next one starts.
   */
  redeliver(eventId: string, subscriptionIds: readonly string[], now: Date): Promise<number>;
  backlog(): Promise<DeliveryBacklog[]>;
  /**
   * Deletes events created before `before`, with their deliveries and attempts, in one batch: at
   * most `limit` rows (default `PRUNE_BATCH_ROWS`) of each of the three tables, children first.
   * Returns the rows it deleted, 0 when none is left.
   */
  prune(before: Date, limit?: number): Promise<number>;
}
