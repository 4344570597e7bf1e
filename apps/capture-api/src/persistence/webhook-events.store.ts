import type { Settlement, StoredCapture } from '@capture-gateway/domain';

export interface WebhookEvent {
  account: string;
  /** The provider's id of the event: a repeated one changes nothing. */
  eventId: string;
  captureId: string;
  /** The status the event reports (kept with its id). */
  reportedStatus: string;
}

export type WebhookEventResult = { duplicate: true } | { duplicate: false; settlement: Settlement };

/** Provider webhook events, recorded with the change they cause. */
export interface WebhookEventStore {
  /**
   * Records the event and, if its (account, event id) is new, settles it through the one status
   * path, in one transaction. One seen before is `duplicate` and changes nothing.
   */
  apply(event: WebhookEvent, decide: (current: StoredCapture) => Settlement): Promise<WebhookEventResult>;
  /**
   * Forgets event ids received before `before`: a redelivery older than the retention is settled
   * again (by the rules, harmlessly). One batch of at most `limit` (default `PRUNE_BATCH_ROWS`):
   * returns how many went, 0 when none is left.
   */
  prune(before: Date, limit?: number): Promise<number>;
}
