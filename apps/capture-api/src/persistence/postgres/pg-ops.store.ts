import { PROVIDER_OUTCOMES, type ProviderOutcome } from '@capture-gateway/domain';
import { type CaptureRow, recordFromRow } from '../capture.rows';
import { type AttentionEntry, type AttentionQuery, type HealthGroup, HealthGroups, type HealthQuery, type OpsStore } from '../ops.store';
import type { SqlDatabase } from './sql.database';

// Both parts read small indexes: captures_in_doubt holds only unknown/pending rows, and
// captures_flagged only flagged ones. A flagged capture is listed once, for its flag.
const ATTENTION = `
  WITH thresholds AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(account text, "unknownBefore" timestamptz, "pendingBefore" timestamptz)
  ), entries AS (
    SELECT c.*, CASE c.status WHEN 'unknown' THEN 'unknown' ELSE 'pending_too_long' END AS reason,
           CASE c.status WHEN 'unknown' THEN c.created_at ELSE c.updated_at END AS since
      FROM captures c JOIN thresholds t ON c.account = t.account
     WHERE c.flag IS NULL AND ((c.status = 'unknown' AND (c.error IS NOT NULL OR c.created_at < t."unknownBefore"))
        OR (c.status = 'pending' AND c.updated_at < t."pendingBefore"))
    UNION ALL
    SELECT c.*, c.flag->>'reason', (c.flag->>'at')::timestamptz
      FROM captures c
     WHERE c.flag IS NOT NULL AND c.account IN (SELECT account FROM thresholds)
  )
  SELECT * FROM entries WHERE $2::text IS NULL OR id > $2 ORDER BY id LIMIT $3`;

/** The operations page's reads on PostgreSQL: aggregated in the database, a few rows back. */
export class PgOpsStore implements OpsStore {
  constructor(private readonly db: SqlDatabase) {}

  async attention({ thresholds, after, limit }: AttentionQuery): Promise<AttentionEntry[]> {
    const rows = await this.db.query<CaptureRow & { reason: AttentionEntry['reason']; since: Date | string }>(ATTENTION, [
      JSON.stringify(thresholds),
      after ?? null,
      limit,
    ]);
    return rows.map((row) => ({ capture: recordFromRow(row), reason: row.reason, since: new Date(row.since).toISOString() }));
  }

  async health({ accounts, fromId, bucketMs }: HealthQuery): Promise<HealthGroup[]> {
    type HealthRow = { account: string; provider: string; bucket: Date | null; p: Array<number | null> | null } & Record<
      ProviderOutcome,
      number
    >;
    const groups = new HealthGroups();
    for (const row of await this.db.query<HealthRow>(HEALTH, [JSON.stringify(accounts), fromId, bucketMs])) {
      const group = groups.of(row.account, row.provider, row.bucket === null ? undefined : new Date(row.bucket).getTime());
      for (const outcome of PROVIDER_OUTCOMES) group.counts[outcome] = row[outcome];
      const [p50 = null, p95 = null, p99 = null] = row.p ?? [];
      group.latencyMs = { p50, p95, p99 };
    }
    return groups.all();
  }
}

// The window is an id range on captures_by_account (account, id). Only captures whose first answer
// was stored count (in flight, or settled first by a webhook: no latency of ours to show).
const WINDOW = `FROM captures
   WHERE account IN (SELECT jsonb_array_elements_text($1::jsonb)) AND id >= $2 AND provider_outcome IS NOT NULL`;
// date_bin: the bucket's start as a timestamp, cheaper than numeric arithmetic on extract(epoch).
const BUCKET = `date_bin(make_interval(secs => $3::int / 1000), created_at, timestamptz 'epoch')`;

// One pass over the id range: GROUPING SETS give the whole window (bucket NULL) and each bucket; a
// count per outcome, and percentile_disc, the nearest rank (a latency that was measured, never an
// interpolation; it skips captures without one).
const HEALTH = `SELECT account, provider, ${BUCKET} AS bucket,
    ${PROVIDER_OUTCOMES.map((outcome) => `count(*) FILTER (WHERE provider_outcome = '${outcome}')::int AS ${outcome}`).join(', ')},
    percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY provider_latency_ms) AS p
  ${WINDOW}
  GROUP BY GROUPING SETS ((account, provider), (account, provider, ${BUCKET}))`;
