import { canTransition, type CaptureEventType, type CaptureOutcome, type CaptureStatus } from '@capture-gateway/domain';
import { captureEvent } from '../capture-event';
import type { DeliveryTarget } from '../capture-events.store';
import {
  type AppliedOutcome,
  type CaptureFilter,
  type CaptureStore,
  type ChangeMeta,
  type FirstOutcome,
  type HistoryEntry,
  IdempotencyKeyLostError,
  type InsertResult,
  type NewCapture,
  type StatusChangeInput,
} from '../captures.store';
import type { KeyCompletion } from '../idempotency-keys.store';
import { listParameters, outcomeColumns } from '../capture.rows';
import { historyEntry, historyQuery, type HistoryRow } from '../history.rows';
import type { SqliteDatabase } from './sqlite.database';
import type { SqliteIdempotencyKeyStore } from './sqlite-idempotency-keys.store';
import { integer, jsonbText, recordFromSqliteRow, type SqliteCaptureRow } from './sqlite.rows';

const INSERT_CAPTURE = `INSERT INTO captures (id, client_id, account, provider, authorisation_id, single_capture, requested_amount,
    requested_currency, status, provider_references, description, metadata, created_at, updated_at, idempotency_key, next_check_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;

const INSERT_CHANGE = `INSERT INTO capture_status_changes (capture_id, from_status, to_status, source, actor, reason, request_id, changed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_EVENT = `INSERT INTO capture_events (id, client_id, account, capture_id, type, sequence, payload, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

// The first outcome applies only to a row still exactly as `insert` wrote it; its references were
// then '{}' and its card null, so the settled record's values are the merged ones.
const APPLY_FIRST_OUTCOME = `UPDATE captures SET status = ?, captured_amount = ?, captured_currency = ?, error = ?,
    provider_references = ?, card = ?, updated_at = ?, next_check_at = ?, event_sequence = 1, provider_latency_ms = ?, provider_outcome = ?
  WHERE id = ? AND status = 'unknown' AND updated_at = created_at AND event_sequence = 0
    AND provider_references = '{}' AND card IS NULL AND error IS NULL
  RETURNING client_id`;

const HISTORY = historyQuery('?1');

const isInDoubt = (status: CaptureStatus): status is 'unknown' | 'pending' => status === 'unknown' || status === 'pending';

const changeRow = (id: string, from: CaptureStatus | null, to: CaptureStatus, meta: ChangeMeta, at: string) =>
  [id, from, to, meta.source, meta.actor ?? null, meta.reason ?? null, meta.requestId ?? null, at] as const;

/**
 * Captures and their history on SQLite. Each method is one short write transaction: the process holds
 * the database alone and statements are synchronous, so it runs whole before any other request's.
 */
export class SqliteCaptureStore implements CaptureStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly keys: SqliteIdempotencyKeyStore,
  ) {}

  async insert({ record, clientId, singleCapture, idempotency, nextCheckAt, requestId }: NewCapture): Promise<InsertResult> {
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
        nextCheckAt,
      );
      if (inserted === 1) {
        this.db.run(
          INSERT_CHANGE,
          ...changeRow(record.id, null, 'unknown', { source: 'api', actor: clientId, ...(requestId ? { requestId } : {}) }, created),
        );
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

  async applyFirstOutcome(
    { settled, meta, nextCheckAt, eventId, deliveries, provider }: FirstOutcome,
    key?: KeyCompletion,
  ): Promise<boolean> {
    const at = new Date(settled.updatedAt).toISOString();
    return this.db.transaction(() => {
      const applied = this.db.get<{ client_id: string }>(
        APPLY_FIRST_OUTCOME,
        settled.status,
        integer(settled.capturedAmount?.amount),
        settled.capturedAmount?.currency ?? null,
        jsonbText(settled.error),
        jsonbText(settled.providerReferences),
        jsonbText(settled.card),
        at,
        isInDoubt(settled.status) ? nextCheckAt : null,
        provider ? BigInt(provider.latencyMs) : null,
        provider?.outcome ?? null,
        settled.id,
      );
      if (!applied) return false;
      if (canTransition('unknown', settled.status))
        this.db.run(INSERT_CHANGE, ...changeRow(settled.id, 'unknown', settled.status, meta, at));
      const event = captureEvent(settled, { id: eventId, sequence: 1, source: meta.source });
      this.db.run(INSERT_EVENT, eventId, applied.client_id, settled.account, settled.id, event.type, 1, JSON.stringify(event), at);
      fanOut(this.db, eventId, event.type, applied.client_id, deliveries, at);
      if (key) this.keys.completeNow(key, settled.id);
      return true;
    });
  }

  async applyOutcome(id: string, outcome: CaptureOutcome, change: StatusChangeInput): Promise<AppliedOutcome> {
    return this.db.transaction(() => applyOutcomeNow(this.db, id, outcome, change));
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
 * The one status path, inside the caller's transaction: moves a capture if its status allows (the same
 * in-doubt status refreshes references without a move); on a move writes the history row, the event
 * and the schedule the new status calls for. References merge shallowly, newer keys winning, as
 * jsonb's `||` does.
 */
export function applyOutcomeNow(db: SqliteDatabase, id: string, outcome: CaptureOutcome, change: StatusChangeInput): AppliedOutcome {
  const row = db.get<SqliteCaptureRow & { client_id: string; event_sequence: number; next_check_at: string | null }>(
    'SELECT * FROM captures WHERE id = ?',
    id,
  );
  if (!row) throw new Error(`capture ${id} does not exist`);
  const current = recordFromSqliteRow(row);
  const before = current.status;
  const moves = canTransition(current.status, outcome.status);
  const refreshes = current.status === outcome.status && isInDoubt(current.status);
  if (!moves && !refreshes) return { before, record: current }; // a final status stays; a late or repeated answer changes nothing
  const now = new Date().toISOString();
  const { captured, error } = outcomeColumns(outcome, current.requestedAmount);
  const nextCheckAt = !moves ? row.next_check_at : isInDoubt(outcome.status) ? change.schedule[outcome.status] : null;
  const sequence = row.event_sequence + (moves ? 1 : 0);
  const updated = db.get<SqliteCaptureRow>(
    `UPDATE captures SET status = ?, captured_amount = ?, captured_currency = ?, error = ?, provider_references = ?,
       card = ?, updated_at = ?, next_check_at = ?, event_sequence = ?
     WHERE id = ? RETURNING *`,
    outcome.status,
    integer(captured?.amount),
    captured?.currency ?? null,
    jsonbText(error),
    jsonbText({ ...current.providerReferences, ...outcome.references }),
    jsonbText(outcome.card ?? current.card),
    now,
    nextCheckAt,
    sequence,
    id,
  );
  if (!updated) throw new Error(`capture ${id} vanished inside its transaction`);
  const record = recordFromSqliteRow(updated);
  if (moves) {
    db.run(INSERT_CHANGE, ...changeRow(id, before, outcome.status, change, now));
    const event = captureEvent(record, { id: change.eventId, sequence, previous: before, source: change.source });
    db.run(INSERT_EVENT, change.eventId, row.client_id, record.account, id, event.type, sequence, JSON.stringify(event), now);
    fanOut(db, change.eventId, event.type, row.client_id, change.deliveries, now);
  }
  return { before, record };
}

/** The event's deliveries: to the subscriptions of the capture's own client that take its type. */
function fanOut(
  db: SqliteDatabase,
  eventId: string,
  type: CaptureEventType,
  clientId: string,
  targets: readonly DeliveryTarget[],
  at: string,
) {
  for (const target of targets) {
    if (target.clientId !== clientId || !target.types.includes(type)) continue;
    db.run(
      `INSERT INTO capture_event_deliveries (event_id, subscription_id, state, next_attempt_at, created_at) VALUES (?, ?, 'pending', ?, ?)`,
      eventId,
      target.subscriptionId,
      at,
      at,
    );
  }
}

function liveCapture(db: SqliteDatabase, account: string, authorisationId: string) {
  const row = db.get<SqliteCaptureRow>(
    `SELECT * FROM captures WHERE account = ? AND authorisation_id = ? AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
    account,
    authorisationId,
  );
  return row ? recordFromSqliteRow(row) : undefined;
}
