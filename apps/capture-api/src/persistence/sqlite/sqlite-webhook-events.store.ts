import type { Settlement, StoredCapture } from '@capture-gateway/domain';
import type { WebhookEvent, WebhookEventResult, WebhookEventStore } from '../webhook-events.store';
import { changeNow } from './sqlite-capture.store';
import type { SqliteDatabase } from './sqlite.database';
import { PRUNE_BATCH_ROWS } from '../prune-batch';

/** Webhook events on SQLite: the (account, event id) key refuses a redelivery inside the change's transaction. */
export class SqliteWebhookEventStore implements WebhookEventStore {
  constructor(private readonly db: SqliteDatabase) {}

  async apply(
    { account, eventId, captureId, reportedStatus }: WebhookEvent,
    decide: (current: StoredCapture) => Settlement,
  ): Promise<WebhookEventResult> {
    return this.db.transaction((): WebhookEventResult => {
      const recorded = this.db.run(
        `INSERT INTO webhook_events (account, event_id, received_at, capture_id, requested_status)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        account,
        eventId,
        new Date().toISOString(),
        captureId,
        reportedStatus,
      );
      if (recorded === 0) return { duplicate: true };
      return { duplicate: false, settlement: changeNow(this.db, captureId, decide) };
    });
  }

  async prune(before: Date, limit = PRUNE_BATCH_ROWS): Promise<number> {
    // A batch, oldest first on webhook_events_by_age.
    return this.db.transaction(() =>
      this.db.run(
        'DELETE FROM webhook_events WHERE rowid IN (SELECT rowid FROM webhook_events WHERE received_at < ? ORDER BY received_at LIMIT ?)',
        before.toISOString(),
        limit,
      ),
    );
  }
}
