import type { CaptureOutcome } from '@capture-gateway/domain';
import type { AppliedOutcome, StatusChangeInput } from './captures.store';

export interface WebhookEvent {
  account: string;
  /** The provider's id of the event: a repeated one changes nothing. */
  eventId: string;
  captureId: string;
  outcome: CaptureOutcome;
  change: StatusChangeInput;
}

/** `contradicts`: the capture was already final with another status; nothing changed, the event is kept in its history. */
export type WebhookEventResult = { duplicate: true } | ({ duplicate: false; contradicts: boolean } & AppliedOutcome);

/** Provider webhook events, recorded with the status change they cause. */
export interface WebhookEventStore {
  /**
   * Records the event and applies its outcome in one transaction. An (account, event id) seen before
   * is `duplicate` and changes nothing, not even the record's references or `updatedAt`.
   */
  apply(event: WebhookEvent): Promise<WebhookEventResult>;
  /**
   * Forgets event ids received before `before`: a redelivery older than the retention is applied
   * again (by the status rules, harmlessly). One batch of at most `limit` (default
   * `PRUNE_BATCH_ROWS`): returns how many went, 0 when none is left.
   */
  prune(before: Date, limit?: number): Promise<number>;
}
