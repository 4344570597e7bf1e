import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

// The embedded store's file in its data folder (persistence/sqlite/sqlite.database.ts).
const DATABASE_FILE = 'capture.sqlite';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// A capture id in SQL, as the service makes them: `cap_`, 10 base32 characters of the creation
// time in ms (so ids sort by creation), then 16 random ones.
const captureIdSql = (ms: string) => {
  const time = Array.from({ length: 10 }, (_, k) => `substr('${CROCKFORD}', ((${ms} >> ${5 * (9 - k)}) & 31) + 1, 1)`);
  const random = Array.from({ length: 16 }, () => `substr('${CROCKFORD}', (abs(random()) % 32) + 1, 1)`);
  return `'cap_' || ${[...time, ...random].join(' || ')}`;
};

/**
 * Writes `count` captures of `account` straight into a stopped service's embedded database, in one
 * statement: created evenly over the `spreadMs` before `now`, each with its first answer stored (a
 * tenth declined, one in a hundred refused before sending, the rest succeeded; latencies 20 ms to
 * 3 s). Returns how many of them reached the provider.
 */
export function plantCaptures(dataDir: string, account: string, provider: string, count: number, now: number, spreadMs: number): number {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE));
  try {
    const at = `(?2 - i * ?3)`;
    const iso = `strftime('%Y-%m-%dT%H:%M:%fZ', ${at} / 1000.0, 'unixepoch')`;
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
       INSERT INTO captures (id, client_id, account, provider, authorisation_id, single_capture, requested_amount, requested_currency,
         captured_amount, captured_currency, status, error, provider_references, created_at, updated_at, provider_outcome, provider_latency_ms)
       SELECT ${captureIdSql(at)}, 'shop', ?4, ?5, 'planted-' || i, 0, 100, 'USD',
         CASE WHEN i % 10 = 7 THEN NULL ELSE 100 END, CASE WHEN i % 10 = 7 THEN NULL ELSE 'USD' END,
         CASE WHEN i % 10 = 7 THEN 'failed' ELSE 'succeeded' END,
         CASE WHEN i % 100 = 7 THEN '{"code":"provider_unavailable","message":"Fake could not be reached; nothing was sent"}'
              WHEN i % 10 = 7 THEN '{"code":"provider_declined","message":"declined"}' END,
         '{}', ${iso}, ${iso},
         CASE WHEN i % 100 = 7 THEN 'error' WHEN i % 10 = 7 THEN 'declined' ELSE 'succeeded' END, 20 + (i * 7919) % 2980
       FROM n`,
    ).run(count, now, Math.max(1, Math.floor(spreadMs / count)), account, provider);
  } finally {
    db.close();
  }
  return count - Math.ceil((count - 7) / 100);
}
