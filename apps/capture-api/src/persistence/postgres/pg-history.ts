import type { CaptureStatus } from '@capture-gateway/domain';
import type { CheckAnswer } from '../capture-checks.store';
import type { HistoryEntry, StatusSource } from '../captures.store';
import type { SqlExecutor } from './sql.database';

interface HistoryRow {
  kind: 'status' | 'check';
  from_status: CaptureStatus | null;
  to_status: CaptureStatus | null;
  source: StatusSource | null;
  actor: string | null;
  reason: string | null;
  request_id: string | null;
  attempt: number | null;
  answer: CheckAnswer | null;
  message: string | null;
  at: Date | string;
}

const present = <T extends object>(entry: T) => Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null)) as T;

/** A capture's status changes and status checks, oldest first (a change and the check that caused it share an instant: the check first). */
export async function historyOf(db: SqlExecutor, id: string): Promise<HistoryEntry[]> {
  const rows = await db.query<HistoryRow>(
    `SELECT 'status' AS kind, from_status, to_status, source, actor, reason, request_id,
            NULL::int AS attempt, NULL AS answer, NULL AS message, changed_at AS at, 1 AS rank, id
       FROM capture_status_changes WHERE capture_id = $1
     UNION ALL
     SELECT 'check', NULL, status, NULL, NULL, NULL, NULL, attempt, answer, message, checked_at, 0, id
       FROM capture_checks WHERE capture_id = $1
     ORDER BY at, rank, id`,
    [id],
  );
  return rows.map((r): HistoryEntry => {
    const at = new Date(r.at).toISOString();
    if (r.kind === 'check') {
      return present({
        kind: 'check' as const,
        attempt: r.attempt!,
        answer: r.answer!,
        status: r.to_status ?? null,
        message: r.message,
        at,
      }) as HistoryEntry;
    }
    return present({
      kind: 'status' as const,
      from: r.from_status,
      to: r.to_status!,
      source: r.source!,
      actor: r.actor,
      reason: r.reason,
      requestId: r.request_id,
      at,
    }) as HistoryEntry;
  });
}
