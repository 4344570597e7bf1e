import type { CaptureOutcome } from '@capture-gateway/domain';
import type { AppliedOutcome } from './captures.store';

export interface WebhookEvent {
  account: string;
  eventId: string;
  captureId: string;
  outcome: CaptureOutcome;
}

export type WebhookEventResult = { duplicate: true } | ({ duplicate: false } & AppliedOutcome);

/** Provider webhook events, recorded with the status change they cause. */
export interface WebhookEventStore {
  /**
   * Records the event and applies its outcome in one transaction. An (account, event id) seen before
   * is `duplicate` and changes nothing, not even the record's references or `updatedAt`.
   */
  apply(event: WebhookEvent): Promise<WebhookEventResult>;
}
