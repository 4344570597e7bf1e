import type { CaptureWrite, Settlement, StoredCapture } from '@capture-gateway/domain';
import type { HistoryEntry } from '../capture-history';
import {
  type AuthorisationView,
  type CaptureFilter,
  type CaptureStore,
  IdempotencyKeyLostError,
  type InsertResult,
  type NewCapture,
} from '../captures.store';
import { type KeyCompletion, responseBodyJson } from '../idempotency-keys.store';
import { eventPayloadJson, sharedCaptureJson } from '../event.rows';
import { authorisationStateOf, json, listParameters, recordFromRow, writeColumns } from '../capture.rows';
import { historyEntry, type HistoryRow } from '../history.rows';
import type { SqliteDatabase } from './sqlite.database';
import {
  HISTORY,
  INSERT_CAPTURE,
  INSERT_CHECK,
  INSERT_DELIVERY,
  INSERT_EVENT,
  INSERT_HISTORY,
  WRITE_CAPTURE,
} from './sqlite-capture.statements';
import type { SqliteIdempotencyKeyStore } from './sqlite-idempotency-keys.store';
import {
  integer,
  jsonbText,
  parsedCaptureRow,
  recordFromSqliteRow,
  type SqliteCaptureRow,
  type SqliteLockedRow,
  storedFromSqliteRow,
} from './sqlite.rows';

/**
 * Captures and their history on SQLite. Each method is one short write transaction: the process holds
 * the database alone and statements are synchronous, so it runs whole before any other request's.
 */
export class SqliteCaptureStore implements CaptureStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly keys: SqliteIdempotencyKeyStore,
  ) {}

  async insert({
    record,
    clientId,
    singleCapture,
    idempotency,
    nextCheckAt,
    requestId,
    providerOptions,
    admit,
  }: NewCapture): Promise<InsertResult> {
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
      // Partial captures: admitted against the authorisation and its captures so far (the process holds the database alone).
      if (admit) {
        const admission = admit(authorisationOf(this.db, record.account, record.authorisationId));
        if (!admission.admitted) return { inserted: false, refused: admission };
        const now = new Date().toISOString();
        this.db.run(
          `INSERT INTO authorisations (account, authorisation_id, authorised_amount, authorised_currency, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT DO UPDATE
           SET authorised_amount = COALESCE(authorised_amount, ?3), authorised_currency = COALESCE(authorised_currency, ?4), updated_at = ?5`,
          record.account,
          record.authorisationId,
          integer(admission.declares?.amount),
          admission.declares?.currency ?? null,
          now,
        );
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
        nextCheckAt,
        record.final === false ? 0 : 1,
        jsonbText(providerOptions),
      );
      if (inserted === 1) {
        this.db.run(INSERT_HISTORY, record.id, 'status', null, 'unknown', 'api', clientId, null, requestId ?? null, null, created);
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

  async writeIfUnchanged(write: CaptureWrite, key?: KeyCompletion): Promise<boolean> {
    return this.db.transaction(() => writeCaptureNow(this.db, this.keys, write, key));
  }

  async change(id: string, decide: (current: StoredCapture) => Settlement): Promise<Settlement> {
    return this.db.transaction(() => changeNow(this.db, id, decide));
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
         AND (?7 IS NULL OR authorisation_id = ?7)
         AND (?8 IS NULL OR json_extract(provider_references, '$.captureId') = ?8)
         AND (?9 IS NULL OR updated_at < ?9)
       ORDER BY id DESC LIMIT ?6`,
      ...listParameters(filter),
    );
    return rows.map(recordFromSqliteRow);
  }

  async history(id: string): Promise<HistoryEntry[]> {
    return this.db.all<HistoryRow>(HISTORY, id).map(historyEntry);
  }

  async authorisation(account: string, authorisationId: string): Promise<AuthorisationView | undefined> {
    const row = authorisationRow(this.db, account, authorisationId);
    const captures = capturesOf(this.db, account, authorisationId);
    if (!row && captures.length === 0) return undefined;
    return { state: authorisationStateOf(row, captures), captures: captures.map(recordFromRow) };
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
 * The one status path inside the caller's transaction: the row read, `decide` (the state machine)
 * run on it, and what it decided written. Nothing else runs meanwhile: the process holds the
 * database alone and the transaction is synchronous.
 */
export function changeNow(db: SqliteDatabase, id: string, decide: (current: StoredCapture) => Settlement): Settlement {
  const row = db.get<SqliteLockedRow>('SELECT * FROM captures WHERE id = ?', id);
  if (!row) throw new Error(`capture ${id} does not exist`);
  const settlement = decide(storedFromSqliteRow(row));
  if (settlement.kind === 'write' && !writeCaptureNow(db, undefined, settlement.write)) {
    throw new Error(`capture ${id} changed inside its transaction`);
  }
  return settlement;
}

/** Writes a settlement over the row's expected version, with its history, check, event, deliveries and key; false if the row moved. */
function writeCaptureNow(
  db: SqliteDatabase,
  keys: SqliteIdempotencyKeyStore | undefined,
  write: CaptureWrite,
  key?: KeyCompletion,
): boolean {
  const c = writeColumns(write, jsonbText);
  const id = write.after.record.id;
  const applied = db.get<{ client_id: string }>(
    WRITE_CAPTURE,
    c.status,
    integer(c.capturedAmount ?? undefined),
    c.capturedCurrency,
    c.error,
    c.providerReferences,
    c.card,
    c.updatedAt,
    c.nextCheckAt,
    c.eventSequence,
    c.checkAttempts,
    c.resends,
    c.flag,
    c.version,
    c.releaseLease ? 1 : 0,
    c.providerLatencyMs === null ? null : BigInt(c.providerLatencyMs),
    c.providerOutcome,
    id,
    write.expectedVersion,
  );
  if (!applied) return false;
  for (const row of write.history) {
    db.run(
      INSERT_HISTORY,
      id,
      row.kind,
      row.from,
      row.to,
      row.source,
      row.actor ?? null,
      row.reason ?? null,
      row.requestId ?? null,
      json(row.detail),
      row.at,
    );
  }
  const { check, event } = write;
  // Serialised once here; completeNow below reuses it, and a 201 or 202 body is the capture the event carries.
  if (key && event) responseBodyJson(key.response);
  if (check) db.run(INSERT_CHECK, id, check.attempt, check.answer, check.status ?? null, check.message ?? null, check.at);
  if (event) {
    const { event: e, subscriptionIds } = event;
    db.run(
      INSERT_EVENT,
      e.id,
      applied.client_id,
      write.after.record.account,
      id,
      e.type,
      e.sequence,
      eventPayloadJson(e, sharedCaptureJson(e, key?.response)),
      e.createdAt,
    );
    for (const subscriptionId of subscriptionIds) db.run(INSERT_DELIVERY, e.id, subscriptionId, e.createdAt, e.createdAt);
  }
  if (write.closesAuthorisation) {
    const { account, authorisationId, updatedAt } = write.after.record;
    db.run(
      `INSERT INTO authorisations (account, authorisation_id, closed_by_provider, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?3)
       ON CONFLICT DO UPDATE SET closed_by_provider = 1, updated_at = ?3`,
      account,
      authorisationId,
      updatedAt,
    );
  }
  if (key) keys?.completeNow(key, id);
  return true;
}

const authorisationRow = (db: SqliteDatabase, account: string, authorisationId: string) =>
  db.get<{ authorised_amount: number | null; authorised_currency: string | null; closed_by_provider: number }>(
    'SELECT * FROM authorisations WHERE account = ? AND authorisation_id = ?',
    account,
    authorisationId,
  );

/** Every capture of an authorisation, oldest first, as rows the shared mapping reads. */
const capturesOf = (db: SqliteDatabase, account: string, authorisationId: string) =>
  db
    .all<SqliteCaptureRow>('SELECT * FROM captures WHERE account = ? AND authorisation_id = ? ORDER BY id', account, authorisationId)
    .map(parsedCaptureRow);

const authorisationOf = (db: SqliteDatabase, account: string, authorisationId: string) =>
  authorisationStateOf(authorisationRow(db, account, authorisationId), capturesOf(db, account, authorisationId));

function liveCapture(db: SqliteDatabase, account: string, authorisationId: string) {
  const row = db.get<SqliteCaptureRow>(
    `SELECT * FROM captures WHERE account = ? AND authorisation_id = ? AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
    account,
    authorisationId,
  );
  return row ? recordFromSqliteRow(row) : undefined;
}
