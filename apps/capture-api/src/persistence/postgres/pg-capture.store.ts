import type { CaptureRecord, CaptureWrite, Settlement, StoredCapture } from '@capture-gateway/domain';
import type { HistoryEntry } from '../capture-history';
import {
  type AuthorisationView,
  type CaptureFilter,
  type CaptureStore,
  IdempotencyKeyLostError,
  type InsertResult,
  type NewCapture,
} from '../captures.store';
import { type KeyCompletion, type KeyUse, responseBodyJson } from '../idempotency-keys.store';
import { eventPayloadJson, sharedCaptureJson } from '../event.rows';
import {
  authorisationStateOf,
  type CaptureRow,
  json,
  listParameters,
  type LockedCaptureRow,
  recordFromRow,
  storedFromRow,
  writeColumns,
} from '../capture.rows';
import { historyRowsJson } from '../history.rows';
import { CLAIM_AND_INSERT, INSERT, WRITE_CAPTURE } from './pg-capture.statements';
import { historyOf } from './pg-history';
import type { PgIdempotencyKeyStore } from './pg-idempotency-keys.store';
import type { SqlDatabase, SqlExecutor } from './sql.database';

/** Captures and their history on PostgreSQL: correctness from constraints and single statements. */
export class PgCaptureStore implements CaptureStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly keys: PgIdempotencyKeyStore,
  ) {}

  async insert(input: NewCapture): Promise<InsertResult> {
    const { record, clientId, idempotency } = input;
    const claim = idempotency && !idempotency.held ? idempotency : undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = input.admit ? await this.db.transaction((tx) => this.insertAdmitted(tx, input)) : await this.insertAlone(input);
      if (result !== KEY_TAKEN) return result;
      // The key exists; the statement's snapshot predates its owner's commit, so read it now.
      const existing = claim && (await this.keys.entry(clientId, claim.key));
      if (existing) return { inserted: false, keyTaken: existing };
      // Released meanwhile: try again.
    }
    throw new Error(`idempotency key kept changing hands (capture ${record.id})`);
  }

  /** The hot path: key claim, capture, audit row, in one statement. */
  private async insertAlone({ record, clientId, singleCapture, idempotency, nextCheckAt, requestId, providerOptions }: NewCapture) {
    const claim = idempotency && !idempotency.held ? idempotency : undefined;
    const statement = claim ? CLAIM_AND_INSERT : INSERT;
    const params = [
      ...captureParams(record, clientId, singleCapture),
      nextCheckAt,
      idempotency?.key ?? null,
      ...(claim ? [claim.requestHash] : []),
      requestId ?? null,
      record.final !== false,
      json(providerOptions),
    ];
    const [result] = await this.db.query<{ claimed: number; inserted: number }>(statement.text, params, statement.name);
    if (result?.inserted === 1) return { inserted: true as const };
    if (result?.claimed === 1 || !claim) return this.refused(record, clientId, idempotency);
    return KEY_TAKEN;
  }

  /**
   * Partial captures: the key claimed first (a retry replays rather than being judged again), then
   * the authorisation's row locked, its captures read and the capture admitted by `admit`, then
   * inserted, in one transaction: replicas admit one capture of an authorisation at a time.
   */
  private async insertAdmitted(tx: SqlExecutor, input: NewCapture): Promise<InsertResult | typeof KEY_TAKEN> {
    const { record, clientId, singleCapture, idempotency, nextCheckAt, requestId, providerOptions, admit } = input;
    if (idempotency && !idempotency.held) {
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at, updated_at)
         VALUES ($1, $2, $3, 'in_progress', now(), now()) ON CONFLICT DO NOTHING RETURNING key`,
        [clientId, idempotency.key, idempotency.requestHash],
      );
      if (claimed.length === 0) return KEY_TAKEN;
    }
    const [row] = await tx.query<AuthorisationRow>(
      `WITH made AS (
         INSERT INTO authorisations (account, authorisation_id, created_at, updated_at) VALUES ($1, $2, now(), now())
         ON CONFLICT DO NOTHING)
       SELECT * FROM authorisations WHERE account = $1 AND authorisation_id = $2 FOR UPDATE`,
      [record.account, record.authorisationId],
    );
    // The row may be this statement's own insert, which its snapshot cannot see: read it again then.
    const locked =
      row ??
      (
        await tx.query<AuthorisationRow>('SELECT * FROM authorisations WHERE account = $1 AND authorisation_id = $2 FOR UPDATE', [
          record.account,
          record.authorisationId,
        ])
      )[0];
    const admission = admit?.(authorisationStateOf(locked, await capturesOf(tx, record.account, record.authorisationId)));
    if (admission && !admission.admitted) return { inserted: false, refused: admission };
    if (admission?.declares) {
      await tx.query(
        'UPDATE authorisations SET authorised_amount = $3, authorised_currency = $4, updated_at = now() WHERE account = $1 AND authorisation_id = $2',
        [record.account, record.authorisationId, admission.declares.amount, admission.declares.currency],
      );
    }
    const [result] = await tx.query<{ inserted: number }>(
      INSERT.text,
      [
        ...captureParams(record, clientId, singleCapture),
        nextCheckAt,
        idempotency?.key ?? null,
        requestId ?? null,
        record.final !== false,
        json(providerOptions),
      ],
      INSERT.name,
    );
    if (result?.inserted === 1) return { inserted: true };
    return this.refused(record, clientId, idempotency && { key: idempotency.key, held: true });
  }

  async writeIfUnchanged(write: CaptureWrite, key?: KeyCompletion): Promise<boolean> {
    return (await writeCapture(this.db, write, key)) === 1;
  }

  change(id: string, decide: (current: StoredCapture) => Settlement): Promise<Settlement> {
    return this.db.transaction((tx) => changeIn(tx, id, decide));
  }

  async findById(id: string) {
    const [row] = await this.db.query<CaptureRow>('SELECT * FROM captures WHERE id = $1', [id]);
    return row ? recordFromRow(row) : undefined;
  }

  async list(filter: CaptureFilter) {
    const rows = await this.db.query<CaptureRow>(
      `SELECT * FROM captures
       WHERE account = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
         AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR created_at >= $3)
         AND ($4::timestamptz IS NULL OR created_at < $4)
         AND ($5::text IS NULL OR id < $5)
         AND ($7::text IS NULL OR (authorisation_id = $7 AND ${EITHER_AUTHORISATION_INDEX}))
         AND ($8::text IS NULL OR provider_references->>'captureId' = $8)
         AND ($9::timestamptz IS NULL OR updated_at < $9)
       ORDER BY id DESC LIMIT $6`,
      listParameters(filter),
    );
    return rows.map(recordFromRow);
  }

  history(id: string): Promise<HistoryEntry[]> {
    return historyOf(this.db, id);
  }

  async authorisation(account: string, authorisationId: string): Promise<AuthorisationView | undefined> {
    const [row] = await this.db.query<AuthorisationRow>('SELECT * FROM authorisations WHERE account = $1 AND authorisation_id = $2', [
      account,
      authorisationId,
    ]);
    const captures = await capturesOf(this.db, account, authorisationId);
    if (!row && captures.length === 0) return undefined;
    return { state: authorisationStateOf(row, captures), captures: captures.map(recordFromRow) };
  }

  findLive(account: string, authorisationId: string) {
    return liveCapture(this.db, account, authorisationId);
  }

  async findByProviderCaptureId(account: string, providerCaptureId: string) {
    const [row] = await this.db.query<CaptureRow>(
      `SELECT * FROM captures WHERE account = $1 AND provider_references->>'captureId' = $2 ORDER BY id DESC LIMIT 1`,
      [account, providerCaptureId],
    );
    return row ? recordFromRow(row) : undefined;
  }

  private async refused(record: CaptureRecord, clientId: string, idempotency: KeyUse | undefined): Promise<InsertResult> {
    // A held key is the only other thing that can refuse it: someone else started its capture.
    if (idempotency?.held && (await this.keys.hasCapture(clientId, idempotency.key))) throw new IdempotencyKeyLostError();
    // Else only the partial unique index can refuse it: a live capture of this authorisation exists.
    const existing = await liveCapture(this.db, record.account, record.authorisationId);
    if (existing) return { inserted: false, existing };
    throw new Error('capture insert refused without a live capture');
  }
}

// Always true, written so that the planner reads a capture by authorisation from the two partial
// indexes that together hold every row (migration 010): the once-per-authorisation one and the rest.
const EITHER_AUTHORISATION_INDEX = "((single_capture AND status <> 'failed') OR NOT single_capture OR status = 'failed')";

/**
 * The one status path inside `tx`: the row locked and read, `decide` (the state machine) run on it,
 * and what it decided written. The write cannot miss: the lock holds the version it read.
 */
export async function changeIn(tx: SqlExecutor, id: string, decide: (current: StoredCapture) => Settlement): Promise<Settlement> {
  const [row] = await tx.query<LockedCaptureRow>('SELECT * FROM captures WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw new Error(`capture ${id} does not exist`);
  const settlement = decide(storedFromRow(row));
  if (settlement.kind === 'write' && (await writeCapture(tx, settlement.write)) !== 1) {
    throw new Error(`capture ${id} changed under its row lock`);
  }
  return settlement;
}

/** Writes a settlement in one statement (WRITE_CAPTURE); the number of capture rows written, 0 or 1. */
async function writeCapture(sql: SqlExecutor, write: CaptureWrite, key?: KeyCompletion): Promise<number> {
  const c = writeColumns(write);
  const { check, event } = write;
  // The response is serialised once; a 201 or 202 body is the capture, which the event then reuses.
  const body = key ? responseBodyJson(key.response) : null;
  const [result] = await sql.query<{ applied: number }>(
    WRITE_CAPTURE.text,
    [
      write.after.record.id,
      write.expectedVersion,
      c.status,
      c.capturedAmount,
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
      c.releaseLease,
      c.providerLatencyMs,
      c.providerOutcome,
      historyRowsJson(write.history),
      check?.attempt ?? null,
      check?.answer ?? null,
      check?.status ?? null,
      check?.message ?? null,
      event?.event.id ?? null,
      event?.event.type ?? null,
      event ? eventPayloadJson(event.event, sharedCaptureJson(event.event, key?.response)) : null,
      event && event.subscriptionIds.length > 0 ? JSON.stringify(event.subscriptionIds) : '[]',
      key?.clientId ?? null,
      key?.key ?? null,
      key?.response.status ?? null,
      body,
      check?.at ?? null,
      write.closesAuthorisation === true,
    ],
    WRITE_CAPTURE.name,
  );
  return result?.applied ?? 0;
}

const KEY_TAKEN = Symbol('key taken');

type AuthorisationRow = { authorised_amount: number | null; authorised_currency: string | null; closed_by_provider: boolean };

/** Every capture of an authorisation, oldest first, through the two partial indexes that hold them. */
function capturesOf(sql: SqlExecutor, account: string, authorisationId: string): Promise<CaptureRow[]> {
  return sql.query<CaptureRow>(
    `SELECT * FROM captures WHERE account = $1 AND authorisation_id = $2 AND ${EITHER_AUTHORISATION_INDEX} ORDER BY id`,
    [account, authorisationId],
  );
}

async function liveCapture(sql: SqlExecutor, account: string, authorisationId: string) {
  const [row] = await sql.query<CaptureRow>(
    `SELECT * FROM captures WHERE account = $1 AND authorisation_id = $2 AND status <> 'failed' AND ${EITHER_AUTHORISATION_INDEX}
     ORDER BY id DESC LIMIT 1`,
    [account, authorisationId],
  );
  return row ? recordFromRow(row) : undefined;
}

function captureParams(record: CaptureRecord, clientId: string, singleCapture: boolean): unknown[] {
  return [
    record.id,
    clientId,
    record.account,
    record.provider,
    record.authorisationId,
    singleCapture,
    record.requestedAmount?.amount ?? null,
    record.requestedAmount?.currency ?? null,
    json(record.providerReferences),
    record.description ?? null,
    json(record.metadata),
    record.createdAt,
  ];
}
