import { isFinalStatus } from '@capture-gateway/domain';
import type { WebhookEvent, WebhookEventResult, WebhookEventStore } from '../webhook-events.store';
import { applyOutcomeIn } from './pg-capture.store';
import type { SqlDatabase } from './sql.database';

/** Webhook events on PostgreSQL: the (account, event id) key refuses a redelivery inside the status change's transaction. */
export class PgWebhookEventStore implements WebhookEventStore {
  constructor(private readonly db: SqlDatabase) {}

  apply({ account, eventId, captureId, outcome, change }: WebhookEvent): Promise<WebhookEventResult> {
    return this.db.transaction(async (tx) => {
      const recorded = await tx.query(
        `INSERT INTO webhook_events (account, event_id, received_at, capture_id, requested_status)
         VALUES ($1, $2, now(), $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
        [account, eventId, captureId, outcome.status],
      );
      if (recorded.length === 0) return { duplicate: true as const };
      const applied = await applyOutcomeIn(tx, captureId, outcome, change);
      const contradicts = isFinalStatus(applied.before) && outcome.status !== applied.before;
      if (contradicts)
        await tx.query('UPDATE webhook_events SET contradicts = true WHERE account = $1 AND event_id = $2', [account, eventId]);
      return { duplicate: false as const, contradicts, ...applied };
    });
  }

  async prune(before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM webhook_events WHERE received_at < $1 RETURNING event_id', [before.toISOString()])).length;
  }
}
