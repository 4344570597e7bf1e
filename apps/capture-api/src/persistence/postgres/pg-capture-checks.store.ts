import type { StoredCapture } from '@capture-gateway/domain';
import type { CaptureCheckStore, InDoubt } from '../capture-checks.store';
import { type LockedCaptureRow, storedFromRow } from '../capture.rows';
import type { SqlDatabase } from './sql.database';

/** The reconciler's due work on PostgreSQL: `FOR UPDATE SKIP LOCKED` hands each due capture to one replica, a lease covers the look. */
export class PgCaptureCheckStore implements CaptureCheckStore {
  constructor(private readonly db: SqlDatabase) {}

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<StoredCapture[]> {
    // A lease that ran out belongs to a replica that died mid-look: the capture is due again.
    const rows = await this.db.query<LockedCaptureRow>(
      `UPDATE captures SET check_lease_until = $3
       WHERE id IN (
         SELECT id FROM captures
         WHERE next_check_at <= $1 AND (check_lease_until IS NULL OR check_lease_until <= $1)
         ORDER BY next_check_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now.toISOString(), limit, leaseUntil.toISOString()],
    );
    return rows.map(storedFromRow);
  }

  async inDoubt(): Promise<InDoubt[]> {
    const rows = await this.db.query<{ account: string; status: InDoubt['status']; count: number; oldest: Date | string }>(
      `SELECT account, status, count(*)::int AS count, min(updated_at) AS oldest
       FROM captures WHERE status IN ('unknown', 'pending') GROUP BY account, status`,
    );
    return rows.map((r) => ({ account: r.account, status: r.status, count: r.count, oldestUpdatedAt: new Date(r.oldest).toISOString() }));
  }
}
