import { keyEntry, keyEntryQuery, type KeyRow } from '../idempotency-key.rows';
import { type IdempotencyEntry, type IdempotencyKeyStore, type KeyCompletion, responseBodyJson } from '../idempotency-keys.store';
import type { SqlExecutor } from './sql.database';
import { PRUNE_BATCH_ROWS } from '../prune-batch';

const ENTRY = keyEntryQuery('$1', '$2', '(EXTRACT(EPOCH FROM (now() - k.created_at)) * 1000)::float8');

// A key's capture is the one that names it (captures.idempotency_key, unique per client and key).
const KEY_HAS_CAPTURE = 'EXISTS (SELECT 1 FROM captures c WHERE c.client_id = $1 AND c.idempotency_key = $2)';

/** The idempotency key rows; the hot path claims and completes them inside the capture statements. */
export class PgIdempotencyKeyStore implements IdempotencyKeyStore {
  constructor(private readonly db: SqlExecutor) {}

  async entry(clientId: string, key: string): Promise<IdempotencyEntry | undefined> {
    const [row] = await this.db.query<KeyRow>(ENTRY, [clientId, key], 'idempotency_entry');
    return row ? keyEntry(row) : undefined;
  }

  async takeOverStale(clientId: string, key: string, leaseMs: number): Promise<boolean> {
    // The lease on the database's clock, like the claim's own created_at: replicas' clocks may drift.
    const rows = await this.db.query(
      `UPDATE idempotency_keys SET created_at = now(), updated_at = now()
       WHERE client_id = $1 AND key = $2 AND state = 'in_progress'
         AND created_at < now() - ($3::float8 * interval '1 millisecond') AND NOT ${KEY_HAS_CAPTURE}
       RETURNING key`,
      [clientId, key, leaseMs],
    );
    return rows.length > 0;
  }

  async complete({ clientId, key, response }: KeyCompletion): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, updated_at = now(),
         capture_id = (SELECT c.id FROM captures c WHERE c.client_id = $1 AND c.idempotency_key = $2)
       WHERE client_id = $1 AND key = $2`,
      [clientId, key, response.status, responseBodyJson(response)],
    );
  }

  /** Only a key that started no capture: once one exists, the provider may have been called. */
  async release(clientId: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE client_id = $1 AND key = $2 AND NOT ${KEY_HAS_CAPTURE}`, [clientId, key]);
  }

  async prune(before: Date, limit = PRUNE_BATCH_ROWS): Promise<number> {
    // One statement: a batch of keys goes and their captures forget them together. created_at is
    // indexed (updated_at never precedes it; an unindexed updated_at keeps the key's completion a HOT
    // update). SKIP LOCKED: replicas pruning at once take different batches.
    const [row] = await this.db.query<{ n: number }>(
      `WITH batch AS (
         SELECT client_id, key FROM idempotency_keys WHERE created_at < $1 AND updated_at < $1
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED),
       gone AS (DELETE FROM idempotency_keys k USING batch b WHERE k.client_id = b.client_id AND k.key = b.key RETURNING k.client_id, k.key),
       unlinked AS (UPDATE captures c SET idempotency_key = NULL FROM gone WHERE c.client_id = gone.client_id AND c.idempotency_key = gone.key)
       SELECT count(*)::int AS n FROM gone`,
      [before.toISOString(), limit],
    );
    return row?.n ?? 0;
  }

  async hasCapture(clientId: string, key: string): Promise<boolean> {
    const [row] = await this.db.query<{ linked: boolean }>(`SELECT ${KEY_HAS_CAPTURE} AS linked`, [clientId, key]);
    return row?.linked === true;
  }
}
