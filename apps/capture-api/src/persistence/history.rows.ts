import type { CaptureStatus } from '@capture-gateway/domain';
import type { CheckAnswer } from './capture-checks.store';
import type { HistoryEntry, StatusSource } from './captures.store';

/**
 * A capture's status changes and checks, oldest first, in one query on either backend (`?` or `$1`
 * as `param`): a change and the check that caused it share an instant, the check first.
 */
export const historyQuery = (param: string) => `
  SELECT 'status' AS kind, from_status, to_status, source, actor, reason, request_id,
         NULL AS attempt, NULL AS answer, NULL AS message, changed_at AS at, 1 AS rank, id
    FROM capture_status_changes WHERE capture_id = ${param}
  UNION ALL
  SELECT 'check', NULL, status, NULL, NULL, NULL, NULL, attempt, answer, message, checked_at, 0, id
    FROM capture_checks WHERE capture_id = ${param}
  UNION ALL
  SELECT 'webhook_contradiction', NULL, requested_status, NULL, NULL, NULL, NULL, NULL, NULL, event_id, received_at, 2, 0
    FROM webhook_events WHERE capture_id = ${param} AND contradicts
  ORDER BY at, rank, id`;

export interface HistoryRow {
  kind: 'status' | 'check' | 'webhook_contradiction';
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

export function historyEntry(r: HistoryRow): HistoryEntry {
  const at = new Date(r.at).toISOString();
  // The contradiction's event id travels in the `message` column of the union.
  if (r.kind === 'webhook_contradiction') return { kind: 'webhook_contradiction', eventId: r.message!, requestedStatus: r.to_status!, at };
  if (r.kind === 'check') {
    return present({
      kind: 'check',
      attempt: Number(r.attempt),
      answer: r.answer!,
      status: r.to_status,
      message: r.message,
      at,
    }) as HistoryEntry;
  }
  return present({
    kind: 'status',
    from: r.from_status,
    to: r.to_status!,
    source: r.source!,
    actor: r.actor,
    reason: r.reason,
    requestId: r.request_id,
    at,
  }) as HistoryEntry;
}
