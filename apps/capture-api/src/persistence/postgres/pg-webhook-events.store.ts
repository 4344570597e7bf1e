import type { Settlement, StoredCapture } from '@capture-gateway/domain';
import type { WebhookEvent, WebhookEventResult, WebhookEventStore } from '../webhook-events.store';
import { changeIn } from './pg-capture.store';
import type { SqlDatabase } from './sql.database';

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

  async prune(before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM webhook_events WHERE received_at < $1 RETURNING event_id', [before.toISOString()])).length;
  }
}
