import { healthRow, healthSlices, HealthTally, latencyBinSql, NOTHING_SENT } from '../health.rows';
import type { AttentionEntry, AttentionQuery, HealthGroup, HealthQuery, OpsStore } from '../ops.store';
import type { SqliteDatabase } from './sqlite.database';
import { recordFromSqliteRow, type SqliteCaptureRow } from './sqlite.rows';

// The same two parts as on PostgreSQL, over captures_in_doubt and captures_flagged.
// Timestamps are ISO text in UTC, which compares as time.
const ATTENTION = `
  WITH thresholds AS (
    SELECT json_extract(value, '$.account') AS account, json_extract(value, '$.unknownBefore') AS unknown_before,
           json_extract(value, '$.pendingBefore') AS pending_before
      FROM json_each(?1)
  ), entries AS (
    SELECT c.*, CASE c.status WHEN 'unknown' THEN 'unknown' ELSE 'pending_too_long' END AS reason,
           CASE c.status WHEN 'unknown' THEN c.created_at ELSE c.updated_at END AS since
      FROM captures c JOIN thresholds t ON c.account = t.account
     WHERE c.flag IS NULL AND ((c.status = 'unknown' AND (c.error IS NOT NULL OR c.created_at < t.unknown_before))
        OR (c.status = 'pending' AND c.updated_at < t.pending_before))
    UNION ALL
    SELECT c.*, json_extract(c.flag, '$.reason'), json_extract(c.flag, '$.at')
      FROM captures c
     WHERE c.flag IS NOT NULL AND c.account IN (SELECT account FROM thresholds)
  )
  SELECT * FROM entries WHERE ?2 IS NULL OR id > ?2 ORDER BY id LIMIT ?3`;

// One slice of the window, counted per bin, outcome, account and provider (the bin first: the
// cheapest to sort on), an id range per account on one of the indexes of migration 021.
const COUNTS = (
  where: string,
) => `SELECT account, provider, provider_outcome AS outcome, ${latencyBinSql('provider_latency_ms')} AS bin, count(*) AS n
  FROM captures WHERE account IN (SELECT value FROM json_each(?1)) AND id >= ?2 AND id < ?3 AND ${where}
  GROUP BY bin, provider_outcome, account, provider`;
// Every first answer, on captures_provider_health, which covers the query: no table row is read.
export const ANSWERED = COUNTS('provider_outcome IS NOT NULL');
// Those that reached no provider, on the partial index captures_not_sent (its WHERE, word for word),
// taken off the counts: the same answer as PostgreSQL's row-by-row test, without reading each row.
export const NOT_SENT = COUNTS(
  `status = 'failed' AND provider_outcome IN ('declined', 'error') AND substr(json_extract(error, '$.message'), -${NOTHING_SENT.length}) = '${NOTHING_SENT}'`,
);

// node:sqlite runs each statement on the event loop: the window is read a minute at a time, with a
// turn of the loop between minutes, so no statement holds up the requests for long.
const SLICE_MS = 60_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The operations page's reads on SQLite. It has no percentile aggregate: the database counts the
 * window's captures per latency bin, and the percentiles are read from those counts (`health.rows.ts`).
 */
export class SqliteOpsStore implements OpsStore {
  constructor(private readonly db: SqliteDatabase) {}

  async attention({ thresholds, after, limit }: AttentionQuery): Promise<AttentionEntry[]> {
    const rows = this.db.all<SqliteCaptureRow & { reason: AttentionEntry['reason']; since: string }>(
      ATTENTION,
      JSON.stringify(thresholds),
      after ?? null,
      limit,
    );
    return rows.map((row) => ({ capture: recordFromSqliteRow(row), reason: row.reason, since: new Date(row.since).toISOString() }));
  }

  async health(query: HealthQuery): Promise<HealthGroup[]> {
    const accounts = JSON.stringify(query.accounts);
    const tally = new HealthTally();
    for (const { fromId, toId, bucket } of healthSlices(query, SLICE_MS)) {
      tally.add(this.db.all<Record<string, unknown>>(ANSWERED, accounts, fromId, toId).map((raw) => healthRow(raw, bucket)));
      const refused = this.db.all<Record<string, unknown>>(NOT_SENT, accounts, fromId, toId).map((raw) => healthRow(raw, bucket));
      tally.add(refused.map((row) => ({ ...row, n: -row.n })));
      await nextTurn();
    }
    return tally.groups();
  }
}
