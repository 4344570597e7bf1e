import { PRUNE_BATCH_ROWS } from '../prune-batch';
import type {
  ClaimedDelivery,
  DeliveryAttempt,
  DeliveryBacklog,
  DeliveryNext,
  DueDelivery,
  EventDeliveryStore,
} from '../event-deliveries.store';
import type { SqlDatabase } from './sql.database';

interface DueRow {
  event_id: string;
  subscription_id: string;
  type: DueDelivery['type'];
  attempts: number;
  claims: number;
  payload: string;
  event_created_at: Date | string;
}

// Pruning, children first, each statement at most $2 rows, among the $2 oldest events created before $1
// (capture_events_by_time): their attempts, their deliveries, then those left with neither.
const OLDEST = 'SELECT id FROM capture_events WHERE created_at < $1 ORDER BY created_at LIMIT $2';
const PRUNE = [
  `DELETE FROM capture_event_attempts WHERE id IN (
     SELECT a.id FROM (${OLDEST}) e JOIN capture_event_attempts a ON a.event_id = e.id LIMIT $2) RETURNING id`,
  `DELETE FROM capture_event_deliveries WHERE (event_id, subscription_id) IN (
     SELECT d.event_id, d.subscription_id FROM (${OLDEST}) e JOIN capture_event_deliveries d ON d.event_id = e.id LIMIT $2)
   RETURNING event_id`,
  `DELETE FROM capture_events WHERE id IN (
     SELECT e.id FROM (${OLDEST}) e
     WHERE NOT EXISTS (SELECT 1 FROM capture_event_attempts a WHERE a.event_id = e.id)
       AND NOT EXISTS (SELECT 1 FROM capture_event_deliveries d WHERE d.event_id = e.id)) RETURNING id`,
];

/** Event deliveries on PostgreSQL: `FOR UPDATE SKIP LOCKED` hands each due delivery to one replica. */
export class PgEventDeliveryStore implements EventDeliveryStore {
  constructor(private readonly db: SqlDatabase) {}

  async claimDue(subscriptionId: string, now: Date, limit: number, leaseUntil: Date): Promise<DueDelivery[]> {
    // The cap counts deliveries of this subscription already in flight under a live lease, on any replica.
    const rows = await this.db.query<DueRow>(
      `WITH claimed AS (
         UPDATE capture_event_deliveries d SET lease_until = $4, claims = d.claims + 1
         WHERE (d.event_id, d.subscription_id) IN (
           SELECT event_id, subscription_id FROM capture_event_deliveries
           WHERE subscription_id = $1 AND state = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
           ORDER BY next_attempt_at
           LIMIT GREATEST(0, $3 - (SELECT count(*) FROM capture_event_deliveries
                                   WHERE subscription_id = $1 AND state = 'pending' AND lease_until > $2))
           FOR UPDATE SKIP LOCKED)
         RETURNING d.event_id, d.subscription_id, d.attempts, d.claims
       )
       SELECT c.event_id, c.subscription_id, c.attempts, c.claims, e.type, e.payload, e.created_at AS event_created_at
       FROM claimed c JOIN capture_events e ON e.id = c.event_id
       ORDER BY e.id`,
      [subscriptionId, now.toISOString(), limit, leaseUntil.toISOString()],
      'delivery_claim_due',
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      subscriptionId: r.subscription_id,
      type: r.type,
      attempts: r.attempts,
      claim: r.claims,
      payload: r.payload,
      eventCreatedAt: new Date(r.event_created_at).toISOString(),
    }));
  }

  async recordAttempt({ eventId, subscriptionId, claim }: ClaimedDelivery, attempt: DeliveryAttempt, next: DeliveryNext): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ attempts: number }>(
        `UPDATE capture_event_deliveries SET attempts = attempts + 1, lease_until = NULL, state = $3,
           next_attempt_at = $4, last_status = $5, last_error = $6,
           delivered_at = CASE WHEN $3 = 'delivered' THEN $7::timestamptz ELSE delivered_at END
         WHERE event_id = $1 AND subscription_id = $2 AND claims = $8 RETURNING attempts`,
        [
          eventId,
          subscriptionId,
          next.state,
          next.state === 'pending' ? next.nextAttemptAt.toISOString() : null,
          attempt.status ?? null,
          attempt.error ?? null,
          attempt.at.toISOString(),
          claim,
        ],
      );
      if (!row) return false; // claimed again since (a newer attempt's result stands), or pruned
      await tx.query(
        `INSERT INTO capture_event_attempts (event_id, subscription_id, attempt, status, duration_ms, error, attempted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          eventId,
          subscriptionId,
          row.attempts,
          attempt.status ?? null,
          Math.round(attempt.durationMs),
          attempt.error ?? null,
          attempt.at.toISOString(),
        ],
      );
      return true;
    });
  }

  async redeliver(eventId: string, subscriptionIds: readonly string[], now: Date): Promise<number> {
    const rows = await this.db.query(
      `INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at)
       SELECT $1, s, 'pending', $3, $3 FROM unnest($2::text[]) AS s
       ON CONFLICT (event_id, subscription_id)
       DO UPDATE SET state = 'pending', next_attempt_at = $3
       RETURNING event_id`,
      [eventId, [...subscriptionIds], now.toISOString()],
    );
    return rows.length;
  }

  async backlog(): Promise<DeliveryBacklog[]> {
    const rows = await this.db.query<{ subscription_id: string; pending: number; oldest: Date | string }>(
      `SELECT d.subscription_id, count(*)::int AS pending, min(e.created_at) AS oldest
       FROM capture_event_deliveries d JOIN capture_events e ON e.id = d.event_id
       WHERE d.state = 'pending' GROUP BY d.subscription_id`,
    );
    return rows.map((r) => ({ subscriptionId: r.subscription_id, pending: r.pending, oldestEventAt: new Date(r.oldest).toISOString() }));
  }

  async prune(before: Date, limit = PRUNE_BATCH_ROWS): Promise<number> {
    // Each statement on its own: a batch holds its row locks for one short statement only.
    const params = [before.toISOString(), limit];
    let rows = 0;
    for (const statement of PRUNE) rows += (await this.db.query(statement, params)).length;
    return rows;
  }
}
