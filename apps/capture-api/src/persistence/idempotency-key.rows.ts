import type { IdempotencyEntry } from './idempotency-keys.store';

export interface KeyRow {
  request_hash: string;
  state: IdempotencyEntry['state'];
  response_status: number | null;
  response_body: string | null;
  capture_id: string | null;
  created_at: Date | string;
  age_ms: number | string;
}

/**
 * A key's row, with the capture that names it (`captures.idempotency_key`), as an entry; `age` is the
 * backend's expression of how long ago `k.created_at` was, in ms, on the database's clock.
 */
export const keyEntryQuery = (
  client: string,
  key: string,
  age: string,
) => `SELECT k.request_hash, k.state, k.response_status, k.response_body, k.created_at, ${age} AS age_ms,
    (SELECT c.id FROM captures c WHERE c.client_id = k.client_id AND c.idempotency_key = k.key) AS capture_id
  FROM idempotency_keys k WHERE k.client_id = ${client} AND k.key = ${key}`;

export function keyEntry(row: KeyRow): IdempotencyEntry {
  return {
    requestHash: row.request_hash,
    state: row.state,
    ...(row.response_status !== null ? { responseStatus: Number(row.response_status) } : {}),
    ...(row.response_body !== null ? { responseBody: JSON.parse(row.response_body) } : {}),
    ...(row.capture_id ? { captureId: row.capture_id } : {}),
    createdAt: new Date(row.created_at),
    ageMs: Number(row.age_ms),
  };
}
