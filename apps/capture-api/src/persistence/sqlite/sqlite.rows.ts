import type { CaptureRecord } from '@capture-gateway/domain';
import type { StoredCapture } from '@capture-gateway/domain';
import { asJsonb, type CaptureRow, type LockedCaptureRow, recordFromRow, storedFromRow } from '../capture.rows';

/**
 * A jsonb column's value as SQLite stores it: JSON text with object keys already in jsonb's order,
 * so parsing it gives what PostgreSQL's read gives (and what `settledRecord` computes).
 */
export const jsonbText = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(asJsonb(value)));

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

export function recordFromSqliteRow(row: SqliteCaptureRow): CaptureRecord {
  return recordFromRow({
    ...row,
    error: parsed(row.error),
    provider_references: parsed(row.provider_references),
    card: parsed(row.card),
    metadata: parsed(row.metadata),
  });
}

/** A captures row with the lifecycle's columns, as SQLite returns it. */
export type SqliteLockedRow = Omit<LockedCaptureRow, 'error' | 'provider_references' | 'card' | 'metadata' | 'flag'> &
  Pick<SqliteCaptureRow, 'error' | 'provider_references' | 'card' | 'metadata'> & { flag: string | null };

export function storedFromSqliteRow(row: SqliteLockedRow): StoredCapture {
  return storedFromRow({
    ...row,
    error: parsed(row.error),
    provider_references: parsed(row.provider_references),
    card: parsed(row.card),
    metadata: parsed(row.metadata),
    flag: parsed(row.flag),
  });
}
