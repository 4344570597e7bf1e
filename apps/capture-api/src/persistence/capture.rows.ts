import {
  type AuthorisationState,
  type CaptureFlag,
  type CaptureRecord,
  type CaptureWrite,
  orderedRecord,
  type StoredCapture,
} from '@capture-gateway/domain';
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
  /** PostgreSQL gives a boolean, SQLite 0/1; absent on rows read before migration 013. */
  final?: boolean | number;
}

const money = (amount: number | string | null, currency: string | null) =>
  amount === null || currency === null ? undefined : { amount: Number(amount), currency };

const iso = (value: Date | string) => new Date(value).toISOString();

/** A row as the API shows it: absent fields left out rather than null. */
export function recordFromRow(row: CaptureRow): CaptureRecord {
  return orderedRecord({
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
    final: row.final === false || row.final === 0 ? false : undefined,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  } as CaptureRecord);
}

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** A captures row with the lifecycle's columns: what `change` locks and hands to the state machine. */
export type LockedCaptureRow = CaptureRow & {
  client_id: string;
  version: number;
  event_sequence: number;
  next_check_at: Date | string | null;
  check_attempts: number;
  resends: number;
  flag: CaptureFlag | null;
  provider_options: Record<string, unknown> | null;
};

/** A locked row as the state machine reads it. */
export function storedFromRow(row: LockedCaptureRow): StoredCapture {
  return {
    record: recordFromRow(row),
    clientId: row.client_id,
    version: Number(row.version),
    eventSequence: Number(row.event_sequence),
    nextCheckAt: row.next_check_at === null ? null : iso(row.next_check_at),
    checkAttempts: Number(row.check_attempts),
    resends: Number(row.resends),
    ...(row.flag ? { flag: row.flag } : {}),
    ...(row.provider_options ? { providerOptions: row.provider_options } : {}),
  };
}

/** The captures columns a write sets, as both backends bind them (jsonb values as JSON text, by `toJson`). */
export function writeColumns({ after, releaseLease, providerAnswer }: CaptureWrite, toJson: (value: unknown) => string | null = json) {
  const { record } = after;
  return {
    status: record.status,
    capturedAmount: record.capturedAmount?.amount ?? null,
    capturedCurrency: record.capturedAmount?.currency ?? null,
    error: toJson(record.error),
    providerReferences: toJson(record.providerReferences),
    card: toJson(record.card),
    updatedAt: record.updatedAt,
    nextCheckAt: after.nextCheckAt,
    eventSequence: after.eventSequence,
    checkAttempts: after.checkAttempts,
    resends: after.resends,
    flag: toJson(after.flag),
    version: after.version,
    releaseLease,
    providerLatencyMs: providerAnswer?.latencyMs ?? null,
    providerOutcome: providerAnswer?.outcome ?? null,
  };
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

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

function byteOrder(a: string, b: string): number {
  // ASCII: one byte a code unit, so lengths and code units compare as bytes do, with no Buffers.
  if (isAscii(a) && isAscii(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length - y.length || Buffer.compare(x, y);
}

/**
 * `JSON.stringify(asJsonb(value))` written in one pass: no JSON round trip and no reordered copy,
 * object keys put in jsonb's order as they are written. Same rules as `JSON.stringify` (`toJSON`,
 * undefined and functions left out of objects, null in arrays).
 */
export function jsonbJson(value: unknown): string | undefined {
  return jsonbPart(value, '');
}

function jsonbPart(input: unknown, key: string): string | undefined {
  const value =
    input !== null && typeof input === 'object' && typeof (input as { toJSON?: unknown }).toJSON === 'function'
      ? (input as { toJSON(key: string): unknown }).toJSON(key)
      : input;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${jsonbPart(value[i], String(i)) ?? 'null'}`;
    return out + ']';
  }
  // Boxed primitives and the like: as JSON.stringify writes them (none is an object with keys).
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const name of Object.keys(record).sort(byteOrder)) {
    const part = jsonbPart(record[name], name);
    if (part !== undefined) out += `${out.length === 1 ? '' : ','}${JSON.stringify(name)}:${part}`;
  }
  return out + '}';
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

/** An authorisation's row and its captures' rows, as the admission rules read them. */
export function authorisationStateOf(
  row: { authorised_amount: number | string | null; authorised_currency: string | null; closed_by_provider: boolean | number } | undefined,
  captures: readonly CaptureRow[],
): AuthorisationState {
  const authorisedAmount = row ? money(row.authorised_amount, row.authorised_currency) : undefined;
  return {
    ...(authorisedAmount ? { authorisedAmount } : {}),
    closedByProvider: row ? row.closed_by_provider === true || row.closed_by_provider === 1 : false,
    captures: captures.map((c) => {
      const record = recordFromRow(c);
      return { record, final: record.final !== false };
    }),
  };
}
