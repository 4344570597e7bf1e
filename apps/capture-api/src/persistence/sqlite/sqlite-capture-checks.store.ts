import type { StoredCapture } from '@capture-gateway/domain';
import type { CaptureCheckStore, InDoubt } from '../capture-checks.store';
import type { SqliteDatabase } from './sqlite.database';
import { type SqliteLockedRow, storedFromSqliteRow } from './sqlite.rows';

/** The reconciler's due work on SQLite: one process holds the database, so a lease taken in a transaction is its alone. */
export class SqliteCaptureCheckStore implements CaptureCheckStore {
  constructor(private readonly db: SqliteDatabase) {}

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<StoredCapture[]> {
    // A lease that ran out belongs to a pass that died mid-look (a crash, before this restart): due again.
    const rows = this.db.transaction(() =>
      this.db.all<SqliteLockedRow>(
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
    return rows.map(storedFromSqliteRow);
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
