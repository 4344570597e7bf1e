// Test helper: the store specs run once per backend and must pass unchanged on each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  type CaptureChange,
  type CaptureOutcome,
  type CaptureRecord,
  insertedCapture,
  type LifecyclePolicy,
  newCaptureId,
  newEventId,
  recordAfter,
  settle,
  type SettleContext,
  type Settlement,
} from '@capture-gateway/domain';
import type { HistoryEntry } from '../capture-history';
import type { KeyCompletion } from '../idempotency-keys.store';
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

/** No status check, so no next look unless a spec asks for one. */
export const TEST_POLICY: LifecyclePolicy = { statusCheck: false, backoffMs: [60_000], pendingCheckAfterMs: 900_000, callWindowMs: 0 };

/** What `settle` gets in these specs: now, the test policy, a fresh event id, no subscriptions, unless given. */
export const contextFor = (extra: Partial<SettleContext> = {}): SettleContext => ({
  now: new Date().toISOString(),
  policy: TEST_POLICY,
  eventId: newEventId(),
  subscriptions: [],
  ...extra,
});

/** A change settled through the store's one status path, as the service settles it. */
export const settleIn = (storage: Storage, id: string, change: CaptureChange, extra?: Partial<SettleContext>): Promise<Settlement> =>
  storage.captures.change(id, (current) => settle(current, change, contextFor(extra)));

/** The record after a change settled through the store. */
export const recordIn = async (storage: Storage, id: string, change: CaptureChange, extra?: Partial<SettleContext>) =>
  recordAfter(await settleIn(storage, id, change, extra));

/** Our call's answer, from the client `c`. */
export const answer = (outcome: CaptureOutcome): CaptureChange => ({ kind: 'answer', outcome, actor: 'c' });

/** The first answer as the service writes it: settled from the capture as inserted, written only over that version. */
export function firstAnswer(
  storage: Storage,
  inserted: CaptureRecord,
  outcome: CaptureOutcome,
  options: {
    clientId?: string;
    key?: Omit<KeyCompletion, 'response'>;
    extra?: Partial<SettleContext>;
    provider?: { latencyMs: number; outcome: 'succeeded' | 'pending' | 'declined' | 'error' | 'timeout' };
  } = {},
) {
  const settlement = settle(
    insertedCapture(inserted, options.clientId ?? 'c', null),
    { ...answer(outcome), ...(options.provider ? { provider: options.provider } : {}) } as CaptureChange,
    contextFor(options.extra),
  );
  if (settlement.kind !== 'write') throw new Error('a first answer always writes');
  const record = settlement.write.after.record;
  const response = { status: record.status === 'succeeded' ? 201 : record.status === 'failed' ? 402 : 202, body: record };
  const written = storage.captures.writeIfUnchanged(settlement.write, options.key && { ...options.key, response });
  return { settlement, record, response, written };
}

/** A signed webhook event through its store, as the webhooks service applies it. */
export const webhookIn = (
  storage: Storage,
  account: string,
  captureId: string,
  eventId: string,
  outcome: CaptureOutcome,
  extra?: Partial<SettleContext>,
) =>
  storage.webhookEvents.apply({ account, eventId, captureId, reportedStatus: outcome.status }, (current) =>
    settle(current, { kind: 'webhook', outcome, eventId, actor: 'fake' }, contextFor(extra)),
  );

/** A history's status changes as `from>to:source` lines. */
export const trail = (entries: HistoryEntry[]) =>
  entries.flatMap((h) => (h.kind === 'status' ? [`${h.from ?? '-'}>${h.to}:${h.source}`] : []));

export const declined: CaptureOutcome = { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} };
