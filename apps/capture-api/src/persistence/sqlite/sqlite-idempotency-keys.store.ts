import { keyEntry, keyEntryQuery, type KeyRow } from '../idempotency-key.rows';
import { type IdempotencyEntry, type IdempotencyKeyStore, type KeyCompletion, responseBodyJson } from '../idempotency-keys.store';
import type { SqliteDatabase } from './sqlite.database';
import { PRUNE_BATCH_ROWS } from '../prune-batch';

// One process holds the embedded database: its clock is the database's.
const ENTRY = keyEntryQuery('?', '?', "(julianday('now') - julianday(k.created_at)) * 86400000.0");

// A key's capture is the one that names it (captures.idempotency_key, unique per client and key).
const KEY_HAS_CAPTURE = 'EXISTS (SELECT 1 FROM captures c WHERE c.client_id = ?1 AND c.idempotency_key = ?2)';

/**
 * The idempotency key rows on SQLite. The `…Now` methods run inside the caller's transaction: the
 * capture store claims and completes keys in its own.
 */
export class SqliteIdempotencyKeyStore implements IdempotencyKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  async entry(clientId: string, key: string): Promise<IdempotencyEntry | undefined> {
    return this.entryNow(clientId, key);
  }

  async takeOverStale(clientId: string, key: string, leaseMs: number): Promise<boolean> {
    const now = new Date().toISOString();
    const olderThan = new Date(Date.now() - leaseMs);
    const changed = this.db.transaction(() =>
      this.db.run(
        `UPDATE idempotency_keys SET created_at = ?4, updated_at = ?4
         WHERE client_id = ?1 AND key = ?2 AND state = 'in_progress' AND created_at < ?3 AND NOT ${KEY_HAS_CAPTURE}`,
        clientId,
        key,
        olderThan.toISOString(),
        now,
      ),
    );
    return changed > 0;
  }

  async complete(completion: KeyCompletion): Promise<void> {
    this.db.transaction(() => this.completeNow(completion));
  }

  /** Only a key that started no capture: once one exists, the provider may have been called. */
  async release(clientId: string, key: string): Promise<void> {
    this.db.transaction(() =>
      this.db.run(`DELETE FROM idempotency_keys WHERE client_id = ?1 AND key = ?2 AND NOT ${KEY_HAS_CAPTURE}`, clientId, key),
    );
  }

  async prune(before: Date, limit = PRUNE_BATCH_ROWS): Promise<number> {
    // Both statements pick the same batch, oldest first on idempotency_keys_by_age, in one
    // transaction; the captures are found by their key (captures_one_per_idempotency_key), never by a scan.
    const batch = (columns: string) => `SELECT ${columns} FROM idempotency_keys WHERE updated_at < ?1 ORDER BY updated_at LIMIT ?2`;
    const at = before.toISOString();
    return this.db.transaction(() => {
      this.db.run(
        `UPDATE captures SET idempotency_key = NULL
         WHERE idempotency_key IS NOT NULL AND (client_id, idempotency_key) IN (${batch('client_id, key')})`,
        at,
        limit,
      );
      return this.db.run(`DELETE FROM idempotency_keys WHERE rowid IN (${batch('rowid')})`, at, limit);
    });
  }

  entryNow(clientId: string, key: string): IdempotencyEntry | undefined {
    const row = this.db.get<KeyRow>(ENTRY, clientId, key);
    return row ? keyEntry(row) : undefined;
  }

  /** Completes the key with its response; `captureId` when the caller knows it, else the key's own capture. */
  completeNow({ clientId, key, response }: KeyCompletion, captureId?: string): void {
    this.db.run(
      `UPDATE idempotency_keys SET state = 'completed', response_status = ?3, response_body = ?4, updated_at = ?5,
         capture_id = COALESCE(?6, (SELECT c.id FROM captures c WHERE c.client_id = ?1 AND c.idempotency_key = ?2))
       WHERE client_id = ?1 AND key = ?2`,
      clientId,
      key,
      response.status,
      responseBodyJson(response),
      new Date().toISOString(),
      captureId ?? null,
    );
  }

  hasCaptureNow(clientId: string, key: string): boolean {
    return this.db.get<{ linked: number }>(`SELECT ${KEY_HAS_CAPTURE} AS linked`, clientId, key)?.linked === 1;
  }
}
