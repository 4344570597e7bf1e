import { canTransition, type CaptureOutcome, type CaptureRecord } from '@capture-gateway/domain';
import {
  type AppliedOutcome,
  type CaptureFilter,
  type CaptureStore,
  IdempotencyKeyLostError,
  type InsertResult,
  type NewCapture,
  type StatusChange,
  type StatusSource,
} from '../captures.store';
import type { KeyCompletion } from '../idempotency-keys.store';
import { outcomeColumns } from '../capture.rows';
import type { SqliteDatabase } from './sqlite.database';
import type { SqliteIdempotencyKeyStore } from './sqlite-idempotency-keys.store';
import { integer, jsonbText, recordFromSqliteRow, type SqliteCaptureRow } from './sqlite.rows';

const INSERT_CAPTURE = `INSERT INTO captures (id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at, idempotency_key)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;

const INSERT_CHANGE = `INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, changed_at) VALUES (?, ?, ?, ?, ?)`;

// The first outcome applies only to a row still exactly as `insert` wrote it; its references were
// then '{}' and its card null, so the settled record's values are the merged ones.
const APPLY_FIRST_OUTCOME = `UPDATE captures SET status = ?, captured_amount = ?, captured_currency = ?, error = ?,
    provider_references = ?, card = ?, updated_at = ?
  WHERE id = ? AND status = 'unknown' AND updated_at = created_at
    AND provider_references = '{}' AND card IS NULL AND error IS NULL`;

/**
 * Captures and their history on SQLite. Each method is one short write transaction: the process holds
 * the database alone and statements are synchronous, so it runs whole before any other request's.
 */
export class SqliteCaptureStore implements CaptureStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly keys: SqliteIdempotencyKeyStore,
  ) {}

  async insert({ record, clientId, singleCapture, idempotency }: NewCapture): Promise<InsertResult> {
    return this.db.transaction((): InsertResult => {
      if (idempotency && !idempotency.held) {
        const now = new Date().toISOString();
        const claimed = this.db.run(
          `INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at, updated_at)
           VALUES (?, ?, ?, 'in_progress', ?, ?) ON CONFLICT DO NOTHING`,
          clientId,
          idempotency.key,
          idempotency.requestHash,
          now,
          now,
        );
        if (claimed === 0) {
          // Inside this transaction the row that refused the claim is still there: no retry needed.
          const keyTaken = this.keys.entryNow(clientId, idempotency.key);
          if (!keyTaken) throw new Error('idempotency key claim refused without a key row');
          return { inserted: false, keyTaken };
        }
      }
      const created = new Date(record.createdAt).toISOString();
      const inserted = this.db.run(
        INSERT_CAPTURE,
        record.id,
        clientId,
        record.account,
        record.provider,
        record.authorisationId,
        singleCapture ? 1 : 0,
        integer(record.requestedAmount?.amount),
        record.requestedAmount?.currency ?? null,
        jsonbText(record.providerReferences),
        record.description ?? null,
        jsonbText(record.metadata),
        created,
        created,
        idempotency?.key ?? null,
      );
      if (inserted === 1) {
        this.db.run(INSERT_CHANGE, record.id, null, 'unknown', 'api', created);
        return { inserted: true };
      }
      // A held key is the only other thing that can refuse it: someone else started its capture.
      if (idempotency?.held && this.keys.hasCaptureNow(clientId, idempotency.key)) throw new IdempotencyKeyLostError();
      // Else only the partial unique index can refuse it; a key claimed above stays claimed, unlinked.
      const existing = liveCapture(this.db, record.account, record.authorisationId);
      if (existing) return { inserted: false, existing };
      throw new Error('capture insert refused without a live capture');
    });
  }

  async applyFirstOutcome(settled: CaptureRecord, key?: KeyCompletion): Promise<boolean> {
    const at = new Date(settled.updatedAt).toISOString();
    return this.db.transaction(() => {
      const applied = this.db.run(
        APPLY_FIRST_OUTCOME,
        settled.status,
        integer(settled.capturedAmount?.amount),
        settled.capturedAmount?.currency ?? null,
        jsonbText(settled.error),
        jsonbText(settled.providerReferences),
        jsonbText(settled.card),
        at,
        settled.id,
      );
      if (applied === 0) return false;
      if (canTransition('unknown', settled.status)) this.db.run(INSERT_CHANGE, settled.id, 'unknown', settled.status, 'api', at);
      if (key) this.keys.completeNow(key, settled.id);
      return true;
    });
  }

  async applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<AppliedOutcome> {
    return this.db.transaction(() => applyOutcomeNow(this.db, id, outcome, source));
  }

  async findById(id: string) {
    const row = this.db.get<SqliteCaptureRow>('SELECT * FROM captures WHERE id = ?', id);
    return row ? recordFromSqliteRow(row) : undefined;
  }

  async list(filter: CaptureFilter) {
    const rows = this.db.all<SqliteCaptureRow>(
      `SELECT * FROM captures
       WHERE account IN (SELECT value FROM json_each(?1))
         AND (?2 IS NULL OR status = ?2)
         AND (?3 IS NULL OR created_at >= ?3)
         AND (?4 IS NULL OR created_at < ?4)
         AND (?5 IS NULL OR id < ?5)
       ORDER BY id DESC LIMIT ?6`,
      JSON.stringify(filter.accounts),
      filter.status ?? null,
      filter.createdFrom?.toISOString() ?? null,
      filter.createdTo?.toISOString() ?? null,
      filter.after ?? null,
      filter.limit,
    );
    return rows.map(recordFromSqliteRow);
  }

  async history(id: string): Promise<StatusChange[]> {
    const rows = this.db.all<{
      from_status: StatusChange['from'] | null;
      to_status: StatusChange['to'];
      source: StatusSource;
      changed_at: string;
    }>('SELECT from_status, to_status, source, changed_at FROM capture_status_changes WHERE capture_id = ? ORDER BY id', id);
    return rows.map((r) => ({ ...(r.from_status ? { from: r.from_status } : {}), to: r.to_status, source: r.source, at: r.changed_at }));
  }

  async findLive(account: string, authorisationId: string) {
    return liveCapture(this.db, account, authorisationId);
  }

  async findByProviderCaptureId(account: string, providerCaptureId: string) {
    // The expression of the index captures_by_provider_capture_id, so that the index serves it.
    const row = this.db.get<SqliteCaptureRow>(
      `SELECT * FROM captures WHERE account = ? AND json_extract(provider_references, '$.captureId') = ? ORDER BY id DESC LIMIT 1`,
      account,
      providerCaptureId,
    );
    return row ? recordFromSqliteRow(row) : undefined;
  }
}

/**
 * Moves a capture if its status allows, inside the caller's transaction; writes the history row when
 * the status moves. References merge shallowly, newer keys winning, as jsonb's `||` does.
 */
export function applyOutcomeNow(db: SqliteDatabase, id: string, outcome: CaptureOutcome, source: StatusSource): AppliedOutcome {
  const row = db.get<SqliteCaptureRow>('SELECT * FROM captures WHERE id = ?', id);
  if (!row) throw new Error(`capture ${id} does not exist`);
  const current = recordFromSqliteRow(row);
  const before = current.status;
  const moves = canTransition(current.status, outcome.status);
  const refreshes = current.status === outcome.status && (current.status === 'unknown' || current.status === 'pending');
  if (!moves && !refreshes) return { before, record: current }; // a final status stays; a late or repeated answer changes nothing
  const now = new Date().toISOString();
  const { captured, error } = outcomeColumns(outcome, current.requestedAmount);
  const updated = db.get<SqliteCaptureRow>(
    `UPDATE captures SET status = ?, captured_amount = ?, captured_currency = ?, error = ?, provider_references = ?,
       card = ?, updated_at = ?
     WHERE id = ? RETURNING *`,
    outcome.status,
    integer(captured?.amount),
    captured?.currency ?? null,
    jsonbText(error),
    jsonbText({ ...current.providerReferences, ...outcome.references }),
    jsonbText(outcome.card ?? current.card),
    now,
    id,
  );
  if (!updated) throw new Error(`capture ${id} vanished inside its transaction`);
  if (moves) db.run(INSERT_CHANGE, id, current.status, outcome.status, source, now);
  return { before, record: recordFromSqliteRow(updated) };
}

function liveCapture(db: SqliteDatabase, account: string, authorisationId: string) {
  const row = db.get<SqliteCaptureRow>(
    `SELECT * FROM captures WHERE account = ? AND authorisation_id = ? AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
    account,
    authorisationId,
  );
  return row ? recordFromSqliteRow(row) : undefined;
}
