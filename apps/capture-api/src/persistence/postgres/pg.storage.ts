import type { Storage } from '../storage';
import { pendingMigrations, runMigrations } from './migrations.runner';
import { PgCaptureCheckStore } from './pg-capture-checks.store';
import { PgCaptureEventStore } from './pg-capture-events.store';
import { PgCaptureStore } from './pg-capture.store';
import { PgEventDeliveryStore } from './pg-event-deliveries.store';
import { PgIdempotencyKeyStore } from './pg-idempotency-keys.store';
import { PgWebhookEventStore } from './pg-webhook-events.store';
import { PgOpsStore } from './pg-ops.store';
import type { SqlDatabase } from './sql.database';

/** The stores over PostgreSQL, migrated before use. */
export async function openPgStorage(db: SqlDatabase): Promise<Storage> {
  try {
    await runMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const idempotencyKeys = new PgIdempotencyKeyStore(db);
  return {
    kind: 'postgres',
    captures: new PgCaptureStore(db, idempotencyKeys),
    checks: new PgCaptureCheckStore(db),
    events: new PgCaptureEventStore(db),
    deliveries: new PgEventDeliveryStore(db),
    idempotencyKeys,
    webhookEvents: new PgWebhookEventStore(db),
    ops: new PgOpsStore(db),
    reachable: async () => (await db.query('SELECT 1 AS ok')).length === 1,
    pendingMigrations: () => pendingMigrations(db),
    close: () => db.close(),
  };
}
