import type { Settlement, StoredCapture } from '@capture-gateway/domain';
import type { WebhookEvent, WebhookEventResult, WebhookEventStore } from '../webhook-events.store';
import { changeIn } from './pg-capture.store';
import type { SqlDatabase } from './sql.database';
import { PRUNE_BATCH_ROWS } from '../prune-batch';

/** Webhook events on PostgreSQL: the (account, event id) key refuses a redelivery inside the change's transaction. */
export class PgWebhookEventStore implements WebhookEventStore {
  constructor(private readonly db: SqlDatabase) {}

  apply(
    { account, eventId, captureId, reportedStatus }: WebhookEvent,
    decide: (current: StoredCapture) => Settlement,
  ): Promise<WebhookEventResult> {
    return this.db.transaction(async (tx) => {
      const recorded = await tx.query(
        `INSERT INTO webhook_events (account, event_id, received_at, capture_id, requested_status)
         VALUES ($1, $2, now(), $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
        [account, eventId, captureId, reportedStatus],
      );
      if (recorded.length === 0) return { duplicate: true as const };
      return { duplicate: false as const, settlement: await changeIn(tx, captureId, decide) };
    });
  }

  async prune(before: Date, limit = PRUNE_BATCH_ROWS): Promise<number> {
    // A batch, oldest first on webhook_events_by_age; SKIP LOCKED: replicas pruning at once take different ones.
    const gone = await this.db.query(
      `DELETE FROM webhook_events w USING (
         SELECT account, event_id FROM webhook_events WHERE received_at < $1 ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED) b
       WHERE w.account = b.account AND w.event_id = b.event_id RETURNING w.event_id`,
      [before.toISOString(), limit],
    );
    return gone.length;
  }
}
