import type { CaptureOutcome, CaptureRecord } from '@capture-gateway/domain';
import type { CaptureFilter } from './captures.store';

export interface CaptureRow {
  id: string;
  account: string;
  provider: string;
  authorisation_id: string;
  requested_amount: number | string | null;
  requested_currency: string | null;
  captured_amount: number | string | null;
  captured_currency: string | null;
  status: CaptureRecord['status'];
  error: CaptureRecord['error'] | null;
  provider_references: CaptureRecord['providerReferences'] | null;
  card: CaptureRecord['card'] | null;
  description: string | null;
  metadata: CaptureRecord['metadata'] | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const money = (amount: number | string | null, currency: string | null) =>
  amount === null || currency === null ? undefined : { amount: Number(amount), currency };

const iso = (value: Date | string) => new Date(value).toISOString();

/** A row as the API shows it: absent fields left out rather than null. */
export function recordFromRow(row: CaptureRow): CaptureRecord {
  const record: CaptureRecord = {
    id: row.id,
    account: row.account,
    provider: row.provider,
    authorisationId: row.authorisation_id,
    requestedAmount: money(row.requested_amount, row.requested_currency),
    capturedAmount: money(row.captured_amount, row.captured_currency),
    status: row.status,
    error: row.error ?? undefined,
    providerReferences: row.provider_references ?? {},
    card: row.card ?? undefined,
    description: row.description ?? undefined,
    metadata: row.metadata ?? undefined,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as CaptureRecord;
}

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The columns an outcome writes: the captured amount only on success, the error only when it failed or is unknown. */
export function outcomeColumns(outcome: CaptureOutcome, requested: CaptureRecord['requestedAmount']) {
  const captured = outcome.status === 'succeeded' ? (outcome.capturedAmount ?? requested) : undefined;
  const error = outcome.status === 'failed' || outcome.status === 'unknown' ? outcome.error : undefined;
  return { captured, error };
}

/**
 * The record an outcome makes of a row still exactly as `inserted` wrote it, equal to what a read of
 * the row returns (jsonb key order included), so no read-back is needed.
 */
export function settledRecord(inserted: CaptureRecord, outcome: CaptureOutcome, at: string): CaptureRecord {
  const { captured, error } = outcomeColumns(outcome, inserted.requestedAmount);
  return recordFromRow({
    id: inserted.id,
    account: inserted.account,
    provider: inserted.provider,
    authorisation_id: inserted.authorisationId,
    requested_amount: inserted.requestedAmount?.amount ?? null,
    requested_currency: inserted.requestedAmount?.currency ?? null,
    captured_amount: captured?.amount ?? null,
    captured_currency: captured?.currency ?? null,
    status: outcome.status,
    error: asJsonb(error) ?? null,
    provider_references: asJsonb(outcome.references),
    card: asJsonb(outcome.card) ?? null,
    description: inserted.description ?? null,
    metadata: asJsonb(inserted.metadata) ?? null,
    created_at: inserted.createdAt,
    updated_at: at,
  });
}

/** A value as a jsonb column gives it back: JSON round trip, object keys by byte length then bytes. */
export function asJsonb<T>(value: T): T {
  return value === undefined ? value : (jsonbOrder(JSON.parse(JSON.stringify(value))) as T);
}

function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => byteOrder(a, b));
  // fromEntries defines own properties, so a "__proto__" key stays a key as JSON.parse keeps it.
  return Object.fromEntries(entries.map(([k, v]) => [k, jsonbOrder(v)]));
}

function byteOrder(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length - y.length || Buffer.compare(x, y);
}

/**
 * A list filter as the positional parameters both backends' list statement takes ($1..$9, ?1..?9):
 * accounts (a JSON array), status, createdFrom, createdTo, after, limit, authorisationId,
 * providerCaptureId, updatedBefore; an absent filter is null.
 */
export function listParameters(filter: CaptureFilter): Array<string | number | null> {
  return [
    JSON.stringify(filter.accounts),
    filter.status ?? null,
    filter.createdFrom?.toISOString() ?? null,
    filter.createdTo?.toISOString() ?? null,
    filter.after ?? null,
    filter.limit,
    filter.authorisationId ?? null,
    filter.providerCaptureId ?? null,
    filter.updatedBefore?.toISOString() ?? null,
  ];
}
