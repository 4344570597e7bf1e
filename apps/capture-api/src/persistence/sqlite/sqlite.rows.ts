import type { CaptureRecord } from '@capture-gateway/domain';
import type { StoredCapture } from '@capture-gateway/domain';
import { jsonbJson, type CaptureRow, type LockedCaptureRow, recordFromRow, storedFromRow } from '../capture.rows';

/**
 * A jsonb column's value as SQLite stores it: JSON text with object keys already in jsonb's order,
 * so parsing it gives what PostgreSQL's read gives (and what `settledRecord` computes).
 */
export const jsonbText = (value: unknown): string | null => (value === undefined ? null : (jsonbJson(value) ?? null));

/** Minor units bound as integers: a JS number would be bound as a double. */
export const integer = (value: number | undefined): bigint | null => (value === undefined ? null : BigInt(value));

/** A captures row as SQLite returns it: the jsonb columns still text. */
export type SqliteCaptureRow = Omit<CaptureRow, 'error' | 'provider_references' | 'card' | 'metadata'> & {
  error: string | null;
  provider_references: string;
  card: string | null;
  metadata: string | null;
};

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** A captures row with its JSON columns parsed, as the shared mappings read it. */
export function parsedCaptureRow(row: SqliteCaptureRow): CaptureRow {
  return {
    ...row,
    error: parsed(row.error),
    provider_references: parsed(row.provider_references),
    card: parsed(row.card),
    metadata: parsed(row.metadata),
  };
}

export function recordFromSqliteRow(row: SqliteCaptureRow): CaptureRecord {
  return recordFromRow(parsedCaptureRow(row));
}

/** A captures row with the lifecycle's columns, as SQLite returns it. */
export type SqliteLockedRow = Omit<LockedCaptureRow, 'error' | 'provider_references' | 'card' | 'metadata' | 'flag' | 'provider_options'> &
  Pick<SqliteCaptureRow, 'error' | 'provider_references' | 'card' | 'metadata'> & { flag: string | null; provider_options: string | null };

export function storedFromSqliteRow(row: SqliteLockedRow): StoredCapture {
  return storedFromRow({
    ...row,
    error: parsed(row.error),
    provider_references: parsed(row.provider_references),
    card: parsed(row.card),
    metadata: parsed(row.metadata),
    flag: parsed(row.flag),
    provider_options: parsed(row.provider_options),
  });
}
