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
import type { KeyCompletion, KeyUse } from '../idempotency-keys.store';
import { type CaptureRow, json, outcomeColumns, recordFromRow } from '../capture.rows';
import { APPLY_FIRST_OUTCOME, CLAIM_AND_INSERT, INSERT } from './pg-capture.statements';
import type { PgIdempotencyKeyStore } from './pg-idempotency-keys.store';
import type { SqlDatabase, SqlExecutor } from './sql.database';

/** Captures and their history on PostgreSQL: correctness from constraints and single statements. */
export class PgCaptureStore implements CaptureStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly keys: PgIdempotencyKeyStore,
  ) {}

  async insert({ record, clientId, singleCapture, idempotency }: NewCapture): Promise<InsertResult> {
    const claim = idempotency && !idempotency.held ? idempotency : undefined;
    const statement = claim ? CLAIM_AND_INSERT : INSERT;
    const params = [...captureParams(record, clientId, singleCapture), idempotency?.key ?? null, ...(claim ? [claim.requestHash] : [])];
    for (let attempt = 0; attempt < 3; attempt++) {
      const [result] = await this.db.query<{ claimed: number; inserted: number }>(statement.text, params, statement.name);
      if (result?.inserted === 1) return { inserted: true };
      if (result?.claimed === 1 || !claim) return this.refused(record, clientId, idempotency);
      // The key exists; the statement's snapshot predates its owner's commit, so read it now.
      const existing = await this.keys.entry(clientId, claim.key);
      if (existing) return { inserted: false, keyTaken: existing };
      // Released meanwhile: try again.
    }
    throw new Error('idempotency key kept changing hands');
  }

  async applyFirstOutcome(settled: CaptureRecord, key?: KeyCompletion): Promise<boolean> {
    const [result] = await this.db.query<{ applied: number }>(
      APPLY_FIRST_OUTCOME.text,
      [
        settled.id,
        settled.status,
        settled.capturedAmount?.amount ?? null,
        settled.capturedAmount?.currency ?? null,
        json(settled.error),
        json(settled.providerReferences),
        json(settled.card),
        settled.updatedAt,
        canTransition('unknown', settled.status),
        key?.clientId ?? null,
        key?.key ?? null,
        key?.response.status ?? null,
        key ? json(key.response.body) : null,
      ],
      APPLY_FIRST_OUTCOME.name,
    );
    return result?.applied === 1;
  }

  applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<AppliedOutcome> {
    return this.db.transaction((tx) => applyOutcomeIn(tx, id, outcome, source));
  }

  async findById(id: string) {
    const [row] = await this.db.query<CaptureRow>('SELECT * FROM captures WHERE id = $1', [id]);
    return row ? recordFromRow(row) : undefined;
  }

  async list(filter: CaptureFilter) {
    const rows = await this.db.query<CaptureRow>(
      `SELECT * FROM captures
       WHERE account IN (SELECT jsonb_array_elements_text($1::jsonb))
         AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR created_at >= $3)
         AND ($4::timestamptz IS NULL OR created_at < $4)
         AND ($5::text IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [
        JSON.stringify(filter.accounts),
        filter.status ?? null,
        filter.createdFrom?.toISOString() ?? null,
        filter.createdTo?.toISOString() ?? null,
        filter.after ?? null,
        filter.limit,
      ],
    );
    return rows.map(recordFromRow);
  }

  async history(id: string): Promise<StatusChange[]> {
    const rows = await this.db.query<{
      from_status: StatusChange['from'] | null;
      to_status: StatusChange['to'];
      source: StatusSource;
      changed_at: Date | string;
    }>('SELECT from_status, to_status, source, changed_at FROM capture_status_changes WHERE capture_id = $1 ORDER BY id', [id]);
    return rows.map((r) => ({
      ...(r.from_status ? { from: r.from_status } : {}),
      to: r.to_status,
      source: r.source,
      at: new Date(r.changed_at).toISOString(),
    }));
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

/** Moves a capture within `tx` (row locked) if its status allows; writes the history row when the status moves. */
export async function applyOutcomeIn(tx: SqlExecutor, id: string, outcome: CaptureOutcome, source: StatusSource): Promise<AppliedOutcome> {
  const [row] = await tx.query<CaptureRow>('SELECT * FROM captures WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw new Error(`capture ${id} does not exist`);
  const current = recordFromRow(row);
  const before = current.status;
  const moves = canTransition(current.status, outcome.status);
  const refreshes = current.status === outcome.status && (current.status === 'unknown' || current.status === 'pending');
  if (!moves && !refreshes) return { before, record: current }; // a final status stays; a late or repeated answer changes nothing
  const now = new Date().toISOString();
  const { captured, error } = outcomeColumns(outcome, current.requestedAmount);
  const [updated] = await tx.query<CaptureRow>(
    `UPDATE captures SET status = $2, captured_amount = $3, captured_currency = $4, error = $5,
       provider_references = provider_references || $6::jsonb, card = COALESCE($7::jsonb, card), updated_at = $8
     WHERE id = $1 RETURNING *`,
    [
      id,
      outcome.status,
      captured?.amount ?? null,
      captured?.currency ?? null,
      json(error),
      json(outcome.references),
      json(outcome.card),
      now,
    ],
  );
  if (moves) {
    await tx.query(
      'INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, changed_at) VALUES ($1, $2, $3, $4, $5)',
      [id, current.status, outcome.status, source, now],
    );
  }
  return { before, record: recordFromRow(updated!) };
}

async function liveCapture(sql: SqlExecutor, account: string, authorisationId: string) {
  const [row] = await sql.query<CaptureRow>(
    `SELECT * FROM captures WHERE account = $1 AND authorisation_id = $2 AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
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
