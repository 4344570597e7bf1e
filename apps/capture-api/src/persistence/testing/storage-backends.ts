// Test helper: the store specs run once per backend and must pass unchanged on each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CaptureRecord } from '@capture-gateway/domain';
import { newCaptureId, newEventId } from '../../captures/capture-id';
import type { CheckSchedule, HistoryEntry, StatusChangeInput, StatusSource } from '../captures.store';
import { openStorage } from '../persistence.module';
import type { Storage } from '../storage';
import { createPooledRole } from './pooled-role';

const PG_URL = process.env['CAPTURE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// `CAPTURE_TEST_TRANSACTION_POOLING=1`: the PostgreSQL stores as they run behind PgBouncer in
// transaction mode (database.transactionPooling), on a role that carries their schema.
const TRANSACTION_POOLING = process.env['CAPTURE_TEST_TRANSACTION_POOLING'] === '1';

export interface OpenedStorage {
  storage: Storage;
  /** Closes the storage and removes its data (folder or schema). */
  drop(): Promise<void>;
}

export const storageBackends: Array<{ name: string; open(): Promise<OpenedStorage> }> = [
  {
    name: 'embedded',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'capture-store-'));
      const storage = await openStorage({ dataDir });
      return {
        storage,
        drop: async () => {
          await storage.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      if (TRANSACTION_POOLING) {
        const role = await createPooledRole(PG_URL);
        const storage = await openStorage({ url: role.url, schema: role.schema, transactionPooling: true });
        return { storage, drop: () => storage.close().then(() => role.drop()) };
      }
      const schema = `capture_unit_${process.pid}_${randomBytes(4).toString('hex')}`;
      const storage = await openStorage({ url: PG_URL, schema });
      return {
        storage,
        drop: async () => {
          await storage.close();
          const c = new pg.Client(PG_URL);
          await c.connect();
          await c.query(`DROP SCHEMA "${schema}" CASCADE`);
          await c.end();
        },
      };
    },
  },
];

/** Opens the backend's storage for the suite (dropped after it); the getter gives it to each test. */
export function storageFor(open: () => Promise<OpenedStorage>): () => Storage {
  let opened: OpenedStorage | undefined;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(() => opened?.drop());
  return () => {
    if (!opened) throw new Error('the storage did not open');
    return opened.storage;
  };
}

export const record = (authorisationId: string, account = 'acc'): CaptureRecord => {
  const now = new Date().toISOString();
  return {
    id: newCaptureId(),
    account,
    provider: 'fake',
    authorisationId,
    requestedAmount: { amount: 9_007_199_254_740_991, currency: 'USD' },
    status: 'unknown',
    providerReferences: {},
    createdAt: now,
    updatedAt: now,
  };
};

const NEVER: CheckSchedule = { unknown: null, pending: null };

/** A status change as the service would ask for it: by `source`, with a fresh event id. */
export const change = (source: StatusSource, extra: Partial<StatusChangeInput> = {}): StatusChangeInput => ({
  source,
  schedule: NEVER,
  eventId: newEventId(),
  deliveries: [],
  ...extra,
});

/** A history's status changes as `from>to:source` lines. */
export const trail = (entries: HistoryEntry[]) =>
  entries.flatMap((h) => (h.kind === 'status' ? [`${h.from ?? '-'}>${h.to}:${h.source}`] : []));
