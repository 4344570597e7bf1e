import type { AppliedOutcome } from '../captures.store';
import type { CaptureCheckStore, CheckResult, DueCheck, InDoubt } from '../capture-checks.store';
import { applyOutcomeNow } from './sqlite-capture.store';
import type { SqliteDatabase } from './sqlite.database';
import { recordFromSqliteRow, type SqliteCaptureRow } from './sqlite.rows';

type CheckRow = SqliteCaptureRow & { client_id: string; check_attempts: number };

/** Status checks on SQLite: one process holds the database, so a lease taken in a transaction is its alone. */
export class SqliteCaptureCheckStore implements CaptureCheckStore {
  constructor(private readonly db: SqliteDatabase) {}

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<DueCheck[]> {
    // A lease that ran out belongs to a pass that died mid-check (a crash, before this restart): due again.
    const rows = this.db.transaction(() =>
      this.db.all<CheckRow>(
        `UPDATE captures SET check_lease_until = ?3
         WHERE id IN (
           SELECT id FROM captures
           WHERE next_check_at <= ?1 AND (check_lease_until IS NULL OR check_lease_until <= ?1)
           ORDER BY next_check_at LIMIT ?2)
         RETURNING *`,
        now.toISOString(),
        limit,
        leaseUntil.toISOString(),
      ),
    );
    return rows.map((row) => ({ record: recordFromSqliteRow(row), clientId: row.client_id, attempts: row.check_attempts }));
  }

  async record(id: string, { answer, message, outcome, change }: CheckResult): Promise<AppliedOutcome> {
    return this.db.transaction((): AppliedOutcome => {
      const row = this.db.get<CheckRow>('SELECT * FROM captures WHERE id = ?', id);
      if (!row) throw new Error(`capture ${id} does not exist`);
      const attempt = row.check_attempts + 1;
      this.db.run(
        'INSERT INTO capture_checks (capture_id, attempt, answer, status, message, checked_at) VALUES (?, ?, ?, ?, ?, ?)',
        id,
        attempt,
        answer,
        outcome?.status ?? null,
        message ?? null,
        new Date().toISOString(),
      );
      const applied = outcome ? applyOutcomeNow(this.db, id, outcome, change) : { before: row.status, record: recordFromSqliteRow(row) };
      this.db.run(
        `UPDATE captures SET check_attempts = ?2, check_lease_until = NULL,
           next_check_at = CASE status WHEN 'unknown' THEN ?3 WHEN 'pending' THEN ?4 END
         WHERE id = ?1`,
        id,
        attempt,
        change.schedule.unknown,
        change.schedule.pending,
      );
      return applied;
    });
  }

  async inDoubt(): Promise<InDoubt[]> {
    return this.db
      .all<{ account: string; status: InDoubt['status']; count: number; oldest: string }>(
        `SELECT account, status, count(*) AS count, min(updated_at) AS oldest
         FROM captures WHERE status IN ('unknown', 'pending') GROUP BY account, status`,
      )
      .map((r) => ({ account: r.account, status: r.status, count: Number(r.count), oldestUpdatedAt: r.oldest }));
  }
}
