import { canTransition, type CaptureOutcome, type CaptureRecord, type CaptureStatus } from '@capture-gateway/domain';
import type {
  CaptureFilter,
  CaptureRepository,
  ClaimResult,
  IdempotencyEntry,
  NewCapture,
  StatusChange,
  StatusSource,
  WebhookEvent,
  WebhookEventResult,
} from './capture.repository';
import { type CaptureRow, json, recordFromRow } from './capture.rows';
import type { SqlDatabase, SqlExecutor } from './sql.database';

const INSERT_CAPTURE = `
  INSERT INTO captures (id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
  ON CONFLICT DO NOTHING
  RETURNING id`;

/** The repository over either backend: the SQL, constraints and transactions are the same. */
export class SqlCaptureRepository implements CaptureRepository {
  constructor(private readonly db: SqlDatabase) {}

  async insertCapture({ record, clientId, singleCapture, idempotencyKey }: NewCapture) {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(INSERT_CAPTURE, [
        record.id, clientId, record.account, record.provider, record.authorisationId, singleCapture,
        record.requestedAmount?.amount ?? null, record.requestedAmount?.currency ?? null, record.status,
        json(record.providerReferences), record.description ?? null, json(record.metadata), record.createdAt,
      ]);
      if (inserted.length === 0) {
        // Only the partial unique index can refuse it: a live capture of this authorisation exists.
        const existing = await this.liveCapture(tx, record.account, record.authorisationId);
        if (existing) return { inserted: false as const, existing };
        throw new Error('capture insert refused without a live capture');
      }
      await this.audit(tx, record.id, undefined, record.status, 'api', record.createdAt);
      if (idempotencyKey) {
        const linked = await tx.query(
          `UPDATE idempotency_keys SET capture_id = $3, updated_at = now()
           WHERE client_id = $1 AND key = $2 AND capture_id IS NULL RETURNING key`,
          [clientId, idempotencyKey, record.id],
        );
        // Someone took the key over (its lease ran out): they own it; we must not call the provider.
        if (linked.length === 0) throw new IdempotencyKeyLostError();
      }
      return { inserted: true as const };
    });
  }

  async applyOutcome(id: string, outcome: CaptureOutcome, source: StatusSource): Promise<CaptureRecord> {
    return this.db.transaction(async (tx) => (await this.applyIn(tx, id, outcome, source)).record);
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

  private async applyIn(tx: SqlExecutor, id: string, outcome: CaptureOutcome, source: StatusSource): Promise<{ before: CaptureStatus; record: CaptureRecord }> {
    const [row] = await tx.query<CaptureRow>('SELECT * FROM captures WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new Error(`capture ${id} does not exist`);
    const current = recordFromRow(row);
    const before = current.status;
    const moves = canTransition(current.status, outcome.status);
    const refreshes = current.status === outcome.status && (current.status === 'unknown' || current.status === 'pending');
    if (!moves && !refreshes) return { before, record: current }; // a final status stays; a late or repeated answer changes nothing
    const now = new Date().toISOString();
    const captured = outcome.status === 'succeeded' ? (outcome.capturedAmount ?? current.requestedAmount) : undefined;
    const error = outcome.status === 'failed' || outcome.status === 'unknown' ? outcome.error : undefined;
    const [updated] = await tx.query<CaptureRow>(
      `UPDATE captures SET status = $2, captured_amount = $3, captured_currency = $4, error = $5,
         provider_references = provider_references || $6::jsonb, card = COALESCE($7::jsonb, card), updated_at = $8
       WHERE id = $1 RETURNING *`,
      [id, outcome.status, captured?.amount ?? null, captured?.currency ?? null, json(error), json(outcome.references), json(outcome.card), now],
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
      [JSON.stringify(filter.accounts), filter.status ?? null, filter.createdFrom?.toISOString() ?? null,
        filter.createdTo?.toISOString() ?? null, filter.after ?? null, filter.limit],
    );
    return rows.map(recordFromRow);
  }

  async history(id: string): Promise<StatusChange[]> {
    const rows = await this.db.query<{ from_status: StatusChange['from'] | null; to_status: StatusChange['to']; source: StatusSource; changed_at: Date | string }>(
      'SELECT from_status, to_status, source, changed_at FROM capture_status_changes WHERE capture_id = $1 ORDER BY id',
      [id],
    );
    return rows.map((r) => ({ ...(r.from_status ? { from: r.from_status } : {}), to: r.to_status, source: r.source, at: new Date(r.changed_at).toISOString() }));
  }

  findByAuthorisation(account: string, authorisationId: string) {
    return this.liveCapture(this.db, account, authorisationId);
  }

  async claimIdempotencyKey(clientId: string, key: string, requestHash: string): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.db.query(
        `INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at, updated_at)
         VALUES ($1, $2, $3, 'in_progress', now(), now()) ON CONFLICT DO NOTHING RETURNING key`,
        [clientId, key, requestHash],
      );
      if (claimed.length > 0) return { claimed: true };
      const existing = await this.idempotencyEntry(clientId, key);
      if (existing) return { claimed: false, existing }; // else it was released meanwhile: try again
    }
    throw new Error('idempotency key kept changing hands');
  }

  async takeOverStaleKey(clientId: string, key: string, olderThan: Date) {
    const rows = await this.db.query(
      `UPDATE idempotency_keys SET created_at = now(), updated_at = now()
       WHERE client_id = $1 AND key = $2 AND state = 'in_progress' AND capture_id IS NULL AND created_at < $3
       RETURNING key`,
      [clientId, key, olderThan.toISOString()],
    );
    return rows.length > 0;
  }

  async completeIdempotencyKey(clientId: string, key: string, status: number, body: unknown) {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, updated_at = now()
       WHERE client_id = $1 AND key = $2`,
      [clientId, key, status, json(body)],
    );
  }

  async releaseIdempotencyKey(clientId: string, key: string) {
    await this.db.query(`DELETE FROM idempotency_keys WHERE client_id = $1 AND key = $2 AND capture_id IS NULL`, [clientId, key]);
  }

  private async idempotencyEntry(clientId: string, key: string): Promise<IdempotencyEntry | undefined> {
    const [row] = await this.db.query<{ request_hash: string; state: IdempotencyEntry['state']; response_status: number | null; response_body: string | null; capture_id: string | null; created_at: Date | string }>(
      'SELECT request_hash, state, response_status, response_body, capture_id, created_at FROM idempotency_keys WHERE client_id = $1 AND key = $2',
      [clientId, key],
    );
    if (!row) return undefined;
    return {
      requestHash: row.request_hash,
      state: row.state,
      ...(row.response_status !== null ? { responseStatus: row.response_status } : {}),
      ...(row.response_body !== null ? { responseBody: JSON.parse(row.response_body) } : {}),
      ...(row.capture_id ? { captureId: row.capture_id } : {}),
      createdAt: new Date(row.created_at),
    };
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

export class IdempotencyKeyLostError extends Error {
  constructor() {
    super('the idempotency key was taken over by another request');
    this.name = 'IdempotencyKeyLostError';
  }
}
