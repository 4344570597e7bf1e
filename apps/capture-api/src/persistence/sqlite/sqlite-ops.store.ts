import type { ProviderOutcome } from '@capture-gateway/domain';
import { type AttentionEntry, type AttentionQuery, type HealthGroup, HealthGroups, type HealthQuery, type OpsStore } from '../ops.store';
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

// The window is an id range on captures_by_account (account, id), fastest latency first.
const WINDOW = `SELECT account, provider, created_at, provider_outcome AS outcome, provider_latency_ms AS latency
  FROM captures
  WHERE account IN (SELECT value FROM json_each(?1)) AND id >= ?2 AND provider_outcome IS NOT NULL
  ORDER BY provider_latency_ms`;

interface WindowRow {
  account: string;
  provider: string;
  created_at: string;
  outcome: ProviderOutcome;
  latency: number | null;
}

/**
 * The operations page's reads on SQLite. It has no percentile aggregate, so the window's rows come
 * back in latency order and are grouped here: the embedded store serves one process, in-process.
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

  async health({ accounts, fromId, bucketMs }: HealthQuery): Promise<HealthGroup[]> {
    const groups = new HealthGroups();
    const latencies = new Map<HealthGroup, number[]>();
    const add = (row: WindowRow, bucket?: number) => {
      const group = groups.of(row.account, row.provider, bucket);
      group.counts[row.outcome] += 1;
      if (row.latency === null) return;
      const sorted = latencies.get(group) ?? [];
      sorted.push(Number(row.latency));
      latencies.set(group, sorted);
    };
    for (const row of this.db.all<WindowRow>(WINDOW, JSON.stringify(accounts), fromId)) {
      add(row);
      add(row, Math.floor(Date.parse(row.created_at) / bucketMs) * bucketMs);
    }
    return groups.all().map((group) => {
      const sorted = latencies.get(group) ?? [];
      return { ...group, latencyMs: { p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), p99: nearestRank(sorted, 0.99) } };
    });
  }
}

/** PostgreSQL's percentile_disc on sorted values: the first whose cumulative share reaches `p`. */
function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
