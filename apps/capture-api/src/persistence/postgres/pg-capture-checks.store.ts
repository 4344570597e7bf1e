import type { AppliedOutcome } from '../captures.store';
import type { CaptureCheckStore, CheckResult, DueCheck, InDoubt } from '../capture-checks.store';
import { type CaptureRow, recordFromRow } from '../capture.rows';
import { applyOutcomeIn } from './pg-capture.store';
import type { SqlDatabase } from './sql.database';

type CheckRow = CaptureRow & { client_id: string; check_attempts: number };

/** Status checks on PostgreSQL: `FOR UPDATE SKIP LOCKED` hands each due capture to one replica, a lease covers the check. */
export class PgCaptureCheckStore implements CaptureCheckStore {
  constructor(private readonly db: SqlDatabase) {}

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<DueCheck[]> {
    // A lease that ran out belongs to a replica that died mid-check: the capture is due again.
    const rows = await this.db.query<CheckRow>(
      `UPDATE captures SET check_lease_until = $3
       WHERE id IN (
         SELECT id FROM captures
         WHERE next_check_at <= $1 AND (check_lease_until IS NULL OR check_lease_until <= $1)
         ORDER BY next_check_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now.toISOString(), limit, leaseUntil.toISOString()],
    );
    return rows.map((row) => ({ record: recordFromRow(row), clientId: row.client_id, attempts: row.check_attempts }));
  }

  record(id: string, { answer, message, outcome, change }: CheckResult): Promise<AppliedOutcome> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<CheckRow>('SELECT * FROM captures WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new Error(`capture ${id} does not exist`);
      const attempt = row.check_attempts + 1;
      await tx.query(
        `INSERT INTO capture_checks (capture_id, attempt, answer, status, message, checked_at) VALUES ($1, $2, $3, $4, $5, now())`,
        [id, attempt, answer, outcome?.status ?? null, message ?? null],
      );
      const applied = outcome ? await applyOutcomeIn(tx, id, outcome, change) : { before: row.status, record: recordFromRow(row) };
      await tx.query(
        `UPDATE captures SET check_attempts = $2, check_lease_until = NULL,
           next_check_at = CASE status WHEN 'unknown' THEN $3::timestamptz WHEN 'pending' THEN $4::timestamptz END
         WHERE id = $1`,
        [id, attempt, change.schedule.unknown, change.schedule.pending],
      );
      return applied;
    });
  }

  async inDoubt(): Promise<InDoubt[]> {
    const rows = await this.db.query<{ account: string; status: InDoubt['status']; count: number; oldest: Date | string }>(
      `SELECT account, status, count(*)::int AS count, min(updated_at) AS oldest
       FROM captures WHERE status IN ('unknown', 'pending') GROUP BY account, status`,
    );
    return rows.map((r) => ({ account: r.account, status: r.status, count: r.count, oldestUpdatedAt: new Date(r.oldest).toISOString() }));
  }
}
