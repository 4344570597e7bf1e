import { canTransition, type CaptureOutcome, type CaptureRecord, type CaptureStatus } from '@capture-gateway/domain';
import type {
  CaptureFilter,
  CaptureRepository,
  InsertResult,
  KeyCompletion,
  KeyUse,
  NewCapture,
  StatusChange,
  StatusSource,
  StoredResponse,
  WebhookEvent,
  WebhookEventResult,
} from './capture.repository';
import { APPLY_TO_UNTOUCHED, CLAIM_AND_INSERT, INSERT } from './capture-write.statements';
import { appliedRecord, type CaptureRow, json, outcomeColumns, recordFromRow } from './capture.rows';
import { SqlIdempotencyKeys } from './sql-idempotency-keys';
import type { SqlDatabase, SqlExecutor } from './sql.database';

/** The repository over either backend: the SQL, constraints and transactions are the same. */
export class SqlCaptureRepository implements CaptureRepository {
  private readonly keys: SqlIdempotencyKeys;

  constructor(private readonly db: SqlDatabase) {
    this.keys = new SqlIdempotencyKeys(db);
  }

  async insertCapture({ record, clientId, singleCapture, idempotency }: NewCapture): Promise<InsertResult> {
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

  async finishCapture<R extends StoredResponse>(
    inserted: CaptureRecord,
    outcome: CaptureOutcome,
    respond: (record: CaptureRecord) => R,
    key?: KeyCompletion,
  ) {
    const at = new Date().toISOString();
    const record = appliedRecord(inserted, outcome, at);
    const response = respond(record);
    const { captured, error } = outcomeColumns(outcome, inserted.requestedAmount);
    const [result] = await this.db.query<{ applied: number }>(
      APPLY_TO_UNTOUCHED.text,
      [
        inserted.id,
        outcome.status,
        captured?.amount ?? null,
        captured?.currency ?? null,
        json(error),
        json(outcome.references),
        json(outcome.card),
        at,
        canTransition(inserted.status, outcome.status),
        key?.clientId ?? null,
        key?.key ?? null,
        key ? response.status : null,
        key ? json(response.body) : null,
      ],
      APPLY_TO_UNTOUCHED.name,
    );
    if (result?.applied === 1) return { record, response };
    // Something (a webhook) moved the record first: the careful path decides what our answer may change.
    const stored = await this.applyOutcome(inserted.id, outcome, 'api');
    const storedResponse = respond(stored);
    if (key) await this.keys.complete(key.clientId, key.key, storedResponse.status, storedResponse.body);
    return { record: stored, response: storedResponse };
  }

  async applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<CaptureRecord> {
    return this.db.transaction(async (tx) => (await this.applyIn(tx, id, outcome, source)).record);
  }

  private async refused(record: CaptureRecord, clientId: string, idempotency: KeyUse | undefined): Promise<InsertResult> {
    // A held key is the only other thing that can refuse it: someone else started its capture.
    if (idempotency?.held && (await this.keys.hasCapture(clientId, idempotency.key))) throw new IdempotencyKeyLostError();
    // Else only the partial unique index can refuse it: a live capture of this authorisation exists.
    const existing = await this.liveCapture(this.db, record.account, record.authorisationId);
    if (existing) return { inserted: false, existing };
    throw new Error('capture insert refused without a live capture');
  }

  async applyWebhookEvent({ account, eventId, captureId, outcome }: WebhookEvent): Promise<WebhookEventResult> {
    return this.db.transaction(async (tx) => {
      const recorded = await tx.query(
        `INSERT INTO webhook_events (account, event_id, received_at, capture_id, requested_status)
         VALUES ($1, $2, now(), $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
        [account, eventId, captureId, outcome.status],
      );
      if (recorded.length === 0) return { duplicate: true as const };
      return { duplicate: false as const, ...(await this.applyIn(tx, captureId, outcome, 'webhook')) };
    });
  }

  private async applyIn(
    tx: SqlExecutor,
    id: string,
    outcome: CaptureOutcome,
    source: StatusSource,
  ): Promise<{ before: CaptureStatus; record: CaptureRecord }> {
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
    if (moves) await this.audit(tx, id, current.status, outcome.status, source, now);
    return { before, record: recordFromRow(updated!) };
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

  findByAuthorisation(account: string, authorisationId: string) {
    return this.liveCapture(this.db, account, authorisationId);
  }

  takeOverStaleKey(clientId: string, key: string, olderThan: Date) {
    return this.keys.takeOverStale(clientId, key, olderThan);
  }

  completeIdempotencyKey(clientId: string, key: string, status: number, body: unknown) {
    return this.keys.complete(clientId, key, status, body);
  }

  releaseIdempotencyKey(clientId: string, key: string) {
    return this.keys.release(clientId, key);
  }

  private async liveCapture(sql: SqlExecutor, account: string, authorisationId: string) {
    const [row] = await sql.query<CaptureRow>(
      `SELECT * FROM captures WHERE account = $1 AND authorisation_id = $2 AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
      [account, authorisationId],
    );
    return row ? recordFromRow(row) : undefined;
  }

  private async audit(tx: SqlExecutor, id: string, from: string | undefined, to: string, source: StatusSource, at: string) {
    await tx.query(
      'INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, changed_at) VALUES ($1, $2, $3, $4, $5)',
      [id, from ?? null, to, source, at],
    );
  }
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

export class IdempotencyKeyLostError extends Error {
  constructor() {
    super('the idempotency key was taken over by another request');
    this.name = 'IdempotencyKeyLostError';
  }
}
