import { PRUNE_BATCH_ROWS } from '../prune-batch';
import type {
  ClaimedDelivery,
  DeliveryAttempt,
  DeliveryBacklog,
  DeliveryNext,
  DueDelivery,
  EventDeliveryStore,
} from '../event-deliveries.store';
import type { SqliteDatabase } from './sqlite.database';

interface DueRow {
  event_id: string;
  subscription_id: string;
  type: DueDelivery['type'];
  attempts: number;
  payload: string;
  event_created_at: string;
}

// Pruning, children first, each statement at most ?2 rows, among the ?2 oldest events created before ?1
// (capture_events_by_time): their attempts, their deliveries, then those left with neither.
const OLDEST = 'SELECT id FROM capture_events WHERE created_at < ?1 ORDER BY created_at LIMIT ?2';
const PRUNE = [
  `DELETE FROM capture_event_attempts WHERE id IN (
     SELECT a.id FROM (${OLDEST}) e JOIN capture_event_attempts a ON a.event_id = e.id LIMIT ?2)`,
  `DELETE FROM capture_event_deliveries WHERE rowid IN (
     SELECT d.rowid FROM (${OLDEST}) e JOIN capture_event_deliveries d ON d.event_id = e.id LIMIT ?2)`,
  `DELETE FROM capture_events WHERE id IN (
     SELECT e.id FROM (${OLDEST}) e
     WHERE NOT EXISTS (SELECT 1 FROM capture_event_attempts a WHERE a.event_id = e.id)
       AND NOT EXISTS (SELECT 1 FROM capture_event_deliveries d WHERE d.event_id = e.id))`,
];

/** Event deliveries on SQLite: one process holds the database, so a lease taken in a transaction is its alone. */
export class SqliteEventDeliveryStore implements EventDeliveryStore {
  constructor(private readonly db: SqliteDatabase) {}

  async claimDue(subscriptionId: string, now: Date, limit: number, leaseUntil: Date): Promise<DueDelivery[]> {
    const at = now.toISOString();
    return this.db.transaction(() => {
      const inFlight = this.db.get<{ n: number }>(
        `SELECT count(*) AS n FROM capture_event_deliveries WHERE subscription_id = ? AND state = 'pending' AND lease_until > ?`,
        subscriptionId,
        at,
      );
      const room = Math.max(0, limit - Number(inFlight?.n ?? 0));
      if (room === 0) return [];
      const rows = this.db.all<DueRow>(
        `SELECT d.event_id, d.subscription_id, d.attempts, e.type, e.payload, e.created_at AS event_created_at
         FROM capture_event_deliveries d JOIN capture_events e ON e.id = d.event_id
         WHERE d.subscription_id = ?1 AND d.state = 'pending' AND d.next_attempt_at <= ?2 AND (d.lease_until IS NULL OR d.lease_until <= ?2)
         ORDER BY d.next_attempt_at, e.id LIMIT ?3`,
        subscriptionId,
        at,
        room,
      );
      return rows.map((r) => {
        const claimed = this.db.get<{ claims: number }>(
          'UPDATE capture_event_deliveries SET lease_until = ?, claims = claims + 1 WHERE event_id = ? AND subscription_id = ? RETURNING claims',
          leaseUntil.toISOString(),
          r.event_id,
          r.subscription_id,
        );
        // The row was selected in this same transaction: its absence is a bug, not a race.
        if (!claimed) throw new Error(`event delivery ${r.event_id} to ${r.subscription_id} vanished while being claimed`);
        return {
          eventId: r.event_id,
          subscriptionId: r.subscription_id,
          type: r.type,
          attempts: Number(r.attempts),
          claim: Number(claimed.claims),
          payload: r.payload,
          eventCreatedAt: r.event_created_at,
        };
      });
    });
  }

  async recordAttempt({ eventId, subscriptionId, claim }: ClaimedDelivery, attempt: DeliveryAttempt, next: DeliveryNext): Promise<boolean> {
    const at = attempt.at.toISOString();
    return this.db.transaction(() => {
      const row = this.db.get<{ attempts: number }>(
        `UPDATE capture_event_deliveries SET attempts = attempts + 1, lease_until = NULL, state = ?3, next_attempt_at = ?4,
           last_status = ?5, last_error = ?6, delivered_at = CASE WHEN ?3 = 'delivered' THEN ?7 ELSE delivered_at END
         WHERE event_id = ?1 AND subscription_id = ?2 AND claims = ?8 RETURNING attempts`,
        eventId,
        subscriptionId,
        next.state,
        next.state === 'pending' ? next.nextAttemptAt.toISOString() : null,
        attempt.status ?? null,
        attempt.error ?? null,
        at,
        claim,
      );
      if (!row) return false; // claimed again since (a newer attempt's result stands), or pruned
      this.db.run(
        `INSERT INTO capture_event_attempts (event_id, subscription_id, attempt, status, duration_ms, error, attempted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        eventId,
        subscriptionId,
        Number(row.attempts),
        attempt.status ?? null,
        Math.round(attempt.durationMs),
        attempt.error ?? null,
        at,
      );
      return true;
    });
  }

  async redeliver(eventId: string, subscriptionIds: readonly string[], now: Date): Promise<number> {
    const at = now.toISOString();
    return this.db.transaction(() => {
      let count = 0;
      for (const subscriptionId of subscriptionIds) {
        count += this.db.run(
          `INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at)
           VALUES (?1, ?2, 'pending', ?3, ?3)
           ON CONFLICT (event_id, subscription_id) DO UPDATE SET state = 'pending', next_attempt_at = ?3`,
          eventId,
          subscriptionId,
          at,
        );
      }
      return count;
    });
  }

  async backlog(): Promise<DeliveryBacklog[]> {
    return this.db
      .all<{ subscription_id: string; pending: number; oldest: string }>(
        `SELECT d.subscription_id, count(*) AS pending, min(e.created_at) AS oldest
         FROM capture_event_deliveries d JOIN capture_events e ON e.id = d.event_id
         WHERE d.state = 'pending' GROUP BY d.subscription_id`,
      )
      .map((r) => ({ subscriptionId: r.subscription_id, pending: Number(r.pending), oldestEventAt: r.oldest }));
  }

  async prune(before: Date, limit = PRUNE_BATCH_ROWS): Promise<number> {
    const at = before.toISOString();
    return this.db.transaction(() => PRUNE.reduce((rows, statement) => rows + this.db.run(statement, at, limit), 0));
  }
}
