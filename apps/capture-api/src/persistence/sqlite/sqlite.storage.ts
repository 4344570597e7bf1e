import type { Storage } from '../storage';
import { SqliteCaptureCheckStore } from './sqlite-capture-checks.store';
import { SqliteCaptureEventStore } from './sqlite-capture-events.store';
import { SqliteCaptureStore } from './sqlite-capture.store';
import { SqliteEventDeliveryStore } from './sqlite-event-deliveries.store';
import { SqliteDatabase, type SqliteOptions } from './sqlite.database';
import { SqliteIdempotencyKeyStore } from './sqlite-idempotency-keys.store';
import { pendingSqliteMigrations, runSqliteMigrations } from './sqlite-migrations.runner';
import { SqliteWebhookEventStore } from './sqlite-webhook-events.store';
import { SqliteOpsStore } from './sqlite-ops.store';

/** The embedded store: one SQLite file in `dataDir`, locked to this process, migrated before use. */
export function openSqliteStorage(dataDir: string, options: SqliteOptions = { synchronous: 'full' }): Storage {
  const db = SqliteDatabase.open(dataDir, options);
  try {
    runSqliteMigrations(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const idempotencyKeys = new SqliteIdempotencyKeyStore(db);
  return {
    kind: 'embedded',
    captures: new SqliteCaptureStore(db, idempotencyKeys),
    checks: new SqliteCaptureCheckStore(db),
    events: new SqliteCaptureEventStore(db),
    deliveries: new SqliteEventDeliveryStore(db),
    idempotencyKeys,
    webhookEvents: new SqliteWebhookEventStore(db),
    ops: new SqliteOpsStore(db),
    reachable: async () => db.get<{ ok: number }>('SELECT 1 AS ok')?.ok === 1,
    pendingMigrations: async () => pendingSqliteMigrations(db),
    close: async () => db.close(),
  };
}
