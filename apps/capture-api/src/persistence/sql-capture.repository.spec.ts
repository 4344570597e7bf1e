import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CaptureRecord } from '@capture-gateway/domain';
import { newCaptureId } from '../captures/capture-id';
import { openDatabase } from './persistence.module';
import { SqlCaptureRepository } from './sql-capture.repository';
import type { SqlDatabase } from './sql.database';

const PG_URL = process.env['CAPTURE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

// One suite, both backends: the same SQL must behave the same on PGlite and PostgreSQL.
const backends = [
  { name: 'pglite', open: async () => { const dataDir = mkdtempSync(join(tmpdir(), 'capture-repo-')); return { db: await openDatabase({ dataDir }), drop: async () => rmSync(dataDir, { recursive: true, force: true }) }; } },
  {
    name: 'postgres',
    open: async () => {
      const schema = `capture_unit_${process.pid}_${randomBytes(4).toString('hex')}`;
      const db = await openDatabase({ url: PG_URL, schema });
      return { db, drop: async () => { const c = new pg.Client(PG_URL); await c.connect(); await c.query(`DROP SCHEMA "${schema}" CASCADE`); await c.end(); } };
    },
  },
];

const record = (authorisationId: string, account = 'acc'): CaptureRecord => {
  const now = new Date().toISOString();
  return { id: newCaptureId(), account, provider: 'fake', authorisationId, requestedAmount: { amount: 9_007_199_254_740_991, currency: 'USD' }, status: 'unknown', providerReferences: {}, createdAt: now, updatedAt: now };
};

describe.each(backends)('SqlCaptureRepository on $name', ({ open }) => {
  let db: SqlDatabase;
  let drop: () => Promise<void>;
  let repo: SqlCaptureRepository;

  beforeAll(async () => {
    ({ db, drop } = await open());
    repo = new SqlCaptureRepository(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  test('stores money exactly and keeps the status history', async () => {
    const r = record('a1');
    expect(await repo.insertCapture({ record: r, clientId: 'c', singleCapture: true })).toEqual({ inserted: true });
    const done = await repo.applyOutcome(r.id, { status: 'succeeded', references: { captureId: 'p1' } }, 'api');
    expect(done.capturedAmount).toEqual(r.requestedAmount);
    // A final status never moves again.
    expect((await repo.applyOutcome(r.id, { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} }, 'webhook')).status).toBe('succeeded');
    expect((await repo.history(r.id)).map((h) => `${h.from ?? '-'}>${h.to}:${h.source}`)).toEqual(['->unknown:api', 'unknown>succeeded:api']);
  });

  test('one live capture per once-only authorisation; a failed one frees it', async () => {
    const first = record('a2');
    await repo.insertCapture({ record: first, clientId: 'c', singleCapture: true });
    const second = await repo.insertCapture({ record: record('a2'), clientId: 'c', singleCapture: true });
    expect(second).toMatchObject({ inserted: false, existing: { id: first.id } });
    await repo.applyOutcome(first.id, { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} }, 'api');
    expect((await repo.insertCapture({ record: record('a2'), clientId: 'c', singleCapture: true })).inserted).toBe(true);
    expect((await repo.insertCapture({ record: record('m1'), clientId: 'c', singleCapture: false })).inserted).toBe(true);
    expect((await repo.insertCapture({ record: record('m1'), clientId: 'c', singleCapture: false })).inserted).toBe(true);
  });

  test('an idempotency key is claimed once, and a stale key without a capture can be taken over', async () => {
    expect(await repo.claimIdempotencyKey('c', 'k1', 'h1')).toEqual({ claimed: true });
    expect(await repo.claimIdempotencyKey('c', 'k1', 'h1')).toMatchObject({ claimed: false, existing: { state: 'in_progress', requestHash: 'h1' } });
    expect(await repo.claimIdempotencyKey('other', 'k1', 'h1')).toEqual({ claimed: true });
    expect(await repo.takeOverStaleKey('c', 'k1', new Date(Date.now() - 60_000))).toBe(false);
    expect(await repo.takeOverStaleKey('c', 'k1', new Date(Date.now() + 60_000))).toBe(true);
    await repo.completeIdempotencyKey('c', 'k1', 201, { b: 1, a: 2 });
    const replay = await repo.claimIdempotencyKey('c', 'k1', 'h1');
    expect(replay).toMatchObject({ claimed: false, existing: { state: 'completed', responseStatus: 201 } });
    expect(JSON.stringify(replay.claimed ? undefined : replay.existing.responseBody)).toBe('{"b":1,"a":2}');
  });

  test('lists newest first by keyset cursor, only the given accounts', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = record(`l${i}`, 'listed');
      ids.push(r.id);
      await repo.insertCapture({ record: r, clientId: 'c', singleCapture: true });
      await new Promise((done) => setTimeout(done, 2));
    }
    const first = await repo.list({ accounts: ['listed'], limit: 2 });
    const second = await repo.list({ accounts: ['listed'], limit: 2, after: first[1]!.id });
    expect([...first, ...second].map((r) => r.id)).toEqual([...ids].reverse());
    expect(await repo.list({ accounts: ['nobody'], limit: 10 })).toEqual([]);
  });
});
