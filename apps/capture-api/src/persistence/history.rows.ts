import type { CaptureStatus, CheckAnswer, FlagReason, HistoryRow as HistoryWrite, StatusSource } from '@capture-gateway/domain';
import type { HistoryEntry } from './capture-history';

/**
 * A capture's history rows and checks, oldest first, in one query on either backend (`?` or `$1`
 * as `param`): a change and the check that caused it share an instant, the check first.
 */
export const historyQuery = (param: string) => `
  SELECT kind, from_status, to_status, source, actor, reason, request_id, detail,
         NULL AS attempt, NULL AS answer, NULL AS message, changed_at AS at, 1 AS rank, id
    FROM capture_status_changes WHERE capture_id = ${param}
  UNION ALL
  SELECT 'check', NULL, status, NULL, NULL, NULL, NULL, NULL, attempt, answer, message, checked_at, 0, id
    FROM capture_checks WHERE capture_id = ${param}
  ORDER BY at, rank, id`;

export interface HistoryRow {
  kind: HistoryEntry['kind'];
  from_status: CaptureStatus | null;
  to_status: CaptureStatus | null;
  source: StatusSource | null;
  actor: string | null;
  reason: string | null;
  request_id: string | null;
  /** JSON: a flag's reason and event id, a re-send's attempt (an object on PostgreSQL, text on SQLite). */
  detail: HistoryWrite['detail'] | string | null;
  attempt: number | null;
  answer: CheckAnswer | null;
  message: string | null;
  at: Date | string;
}

const present = <T extends object>(entry: T) =>
  Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null && v !== undefined)) as T;

/** A history row as the API shows it. */
export function historyEntry(r: HistoryRow): HistoryEntry {
  const at = new Date(r.at).toISOString();
  const detail = (typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {})) as NonNullable<HistoryWrite['detail']>;
  const by = { source: r.source as StatusSource, actor: r.actor, requestId: r.request_id, at };
  const to = r.to_status as CaptureStatus;
  switch (r.kind) {
    case 'check':
      return present({
        kind: 'check',
        attempt: Number(r.attempt),
        answer: r.answer as CheckAnswer,
        status: r.to_status,
        message: r.message,
        at,
      }) as HistoryEntry;
    case 'flag':
      return present({
        kind: 'flag',
        reason: detail.flag as FlagReason,
        status: r.from_status as CaptureStatus,
        reportedStatus: to,
        message: r.reason ?? '',
        eventId: detail.eventId,
        ...by,
      }) as HistoryEntry;
    case 'acknowledge':
      return present({ kind: 'acknowledge', status: to, flag: detail.flag as FlagReason, note: r.reason ?? '', ...by }) as HistoryEntry;
    case 'resend':
      return present({ kind: 'resend', attempt: Number(detail.attempt), answerStatus: to, ...by }) as HistoryEntry;
    case 'status':
      return present({ kind: 'status', from: r.from_status, to, reason: r.reason, ...by }) as HistoryEntry;
  }
}

const jsonOrNull = (value: unknown) => (value === undefined || value === null ? 'null' : JSON.stringify(value));

/**
 * History rows to write, as JSON for a statement that reads them as a record set: written straight
 * to text, with no row objects made only to be serialised.
 */
export function historyRowsJson(rows: readonly HistoryWrite[]): string {
  let json = '[';
  for (const row of rows) {
    if (json.length > 1) json += ',';
    json +=
      `{"kind":${JSON.stringify(row.kind)},"from_status":${jsonOrNull(row.from)},"to_status":${JSON.stringify(row.to)}` +
      `,"source":${JSON.stringify(row.source)},"actor":${jsonOrNull(row.actor)},"reason":${jsonOrNull(row.reason)}` +
      `,"request_id":${jsonOrNull(row.requestId)},"detail":${jsonOrNull(row.detail)},"changed_at":${JSON.stringify(row.at)}}`;
  }
  return json + ']';
}
