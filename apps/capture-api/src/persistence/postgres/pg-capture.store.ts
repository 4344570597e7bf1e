import { canTransition, type CaptureEventType, type CaptureOutcome, type CaptureRecord } from '@capture-gateway/domain';
import { captureEvent } from '../capture-event';
import type { DeliveryTarget } from '../capture-events.store';
import {
  type AppliedOutcome,
  type CaptureFilter,
  type CaptureStore,
  type FirstOutcome,
  type HistoryEntry,
  IdempotencyKeyLostError,
  type InsertResult,
  type NewCapture,
  type StatusChangeInput,
} from '../captures.store';
import type { KeyCompletion, KeyUse } from '../idempotency-keys.store';
import { type CaptureRow, json, listParameters, outcomeColumns, recordFromRow } from '../capture.rows';
import { APPLY_FIRST_OUTCOME, CLAIM_AND_INSERT, INSERT } from './pg-capture.statements';
import { historyOf } from './pg-history';
import type { PgIdempotencyKeyStore } from './pg-idempotency-keys.store';
import type { SqlDatabase, SqlExecutor } from './sql.database';

/** Captures and their history on PostgreSQL: correctness from constraints and single statements. */
export class PgCaptureStore implements CaptureStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly keys: PgIdempotencyKeyStore,
  ) {}

  async insert({ record, clientId, singleCapture, idempotency, nextCheckAt, requestId }: NewCapture): Promise<InsertResult> {
    const claim = idempotency && !idempotency.held ? idempotency : undefined;
    const statement = claim ? CLAIM_AND_INSERT : INSERT;
    const params = [
      ...captureParams(record, clientId, singleCapture),
      nextCheckAt,
      idempotency?.key ?? null,
      ...(claim ? [claim.requestHash] : []),
      requestId ?? null,
    ];
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

  async applyFirstOutcome(
    { settled, meta, nextCheckAt, eventId, deliveries, provider }: FirstOutcome,
    key?: KeyCompletion,
  ): Promise<boolean> {
    const event = captureEvent(settled, { id: eventId, sequence: 1, source: meta.source });
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
        isInDoubt(settled.status) ? nextCheckAt : null,
        eventId,
        event.type,
        JSON.stringify(event),
        meta.actor ?? null,
        meta.requestId ?? null,
        JSON.stringify(targetsOf(deliveries, event.type)),
        provider?.latencyMs ?? null,
        provider?.outcome ?? null,
      ],
      APPLY_FIRST_OUTCOME.name,
    );
    return result?.applied === 1;
  }

  applyOutcome(id: string, outcome: CaptureOutcome, change: StatusChangeInput): Promise<AppliedOutcome> {
    return this.db.transaction((tx) => applyOutcomeIn(tx, id, outcome, change));
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

const isInDoubt = (status: CaptureRecord['status']) => status === 'unknown' || status === 'pending';

type LockedRow = CaptureRow & { client_id: string; event_sequence: number };

/**
 * The one status path, inside `tx` with the row locked: moves the capture if its status allows
 * (the same in-doubt status refreshes references without a move); on a move writes the history row,
 * the event and the schedule the new status calls for.
 */
export async function applyOutcomeIn(
  tx: SqlExecutor,
  id: string,
  outcome: CaptureOutcome,
  change: StatusChangeInput,
): Promise<AppliedOutcome> {
  const [row] = await tx.query<LockedRow>('SELECT * FROM captures WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw new Error(`capture ${id} does not exist`);
  const current = recordFromRow(row);
  const before = current.status;
  const moves = canTransition(current.status, outcome.status);
  const refreshes = current.status === outcome.status && isInDoubt(current.status);
  if (!moves && !refreshes) return { before, record: current }; // a final status stays; a late or repeated answer changes nothing
  const now = new Date().toISOString();
  const { captured, error } = outcomeColumns(outcome, current.requestedAmount);
  const nextCheckAt = outcome.status === 'unknown' || outcome.status === 'pending' ? change.schedule[outcome.status] : null;
  const [updated] = await tx.query<CaptureRow>(
    `UPDATE captures SET status = $2, captured_amount = $3, captured_currency = $4, error = $5,
       provider_references = provider_references || $6::jsonb, card = COALESCE($7::jsonb, card), updated_at = $8,
       next_check_at = CASE WHEN $9::boolean THEN $10::timestamptz ELSE next_check_at END,
       event_sequence = event_sequence + $9::boolean::int
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
      moves,
      nextCheckAt,
    ],
  );
  const record = recordFromRow(updated!);
  if (moves) {
    await tx.query(
      `INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, actor, reason, request_id, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, before, outcome.status, change.source, change.actor ?? null, change.reason ?? null, change.requestId ?? null, now],
    );
    const sequence = row.event_sequence + 1;
    const event = captureEvent(record, { id: change.eventId, sequence, previous: before, source: change.source });
    await tx.query(
      `INSERT INTO capture_events (id, client_id, account, capture_id, type, sequence, payload, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [change.eventId, row.client_id, record.account, id, event.type, sequence, JSON.stringify(event), now],
    );
    const targets = targetsOf(change.deliveries, event.type).filter((t) => t.client_id === row.client_id);
    if (targets.length > 0) {
      await tx.query(
        `INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at)
         SELECT $1, t.id, 'pending', $2, $2 FROM jsonb_to_recordset($3::jsonb) AS t(id text, client_id text)`,
        [change.eventId, now, JSON.stringify(targets)],
      );
    }
  }
  return { before, record };
}

/** The subscriptions that take an event of this type, as the statements read them. */
const targetsOf = (deliveries: readonly DeliveryTarget[], type: CaptureEventType) =>
  deliveries.filter((d) => d.types.includes(type)).map((d) => ({ id: d.subscriptionId, client_id: d.clientId }));

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
