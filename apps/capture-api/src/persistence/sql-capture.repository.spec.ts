import { IdempotencyKeyLostError, SqlCaptureRepository } from './sql-capture.repository';
import type { SqlDatabase } from './sql.database';
import { backends, record } from './testing/repository-backends';

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
    expect(
      (await repo.applyOutcome(r.id, { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} }, 'webhook'))
        .status,
    ).toBe('succeeded');
    expect((await repo.history(r.id)).map((h) => `${h.from ?? '-'}>${h.to}:${h.source}`)).toEqual([
      '->unknown:api',
      'unknown>succeeded:api',
    ]);
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

  test('the insert claims its key in the same statement: a taken key writes nothing and names its capture', async () => {
    const first = record('i1');
    expect(
      await repo.insertCapture({ record: first, clientId: 'c', singleCapture: true, idempotency: { key: 'k1', requestHash: 'h1' } }),
    ).toEqual({ inserted: true });
    const again = record('i1-other');
    expect(
      await repo.insertCapture({ record: again, clientId: 'c', singleCapture: true, idempotency: { key: 'k1', requestHash: 'h1' } }),
    ).toMatchObject({ inserted: false, keyTaken: { state: 'in_progress', requestHash: 'h1', captureId: first.id } });
    expect(await repo.findById(again.id)).toBeUndefined();
    // Keys are per client.
    expect(
      await repo.insertCapture({
        record: record('i1-b'),
        clientId: 'other',
        singleCapture: true,
        idempotency: { key: 'k1', requestHash: 'h1' },
      }),
    ).toEqual({ inserted: true });
    // A key whose capture exists is never taken over nor released: the provider may have been called.
    expect(await repo.takeOverStaleKey('c', 'k1', new Date(Date.now() + 60_000))).toBe(false);
    await repo.releaseIdempotencyKey('c', 'k1');
    expect(
      await repo.insertCapture({
        record: record('i1-c'),
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k1', requestHash: 'h1' },
      }),
    ).toMatchObject({ inserted: false, keyTaken: { captureId: first.id } });
  });

  test('a key claimed for an authorisation already captured stays unlinked: it can be taken over, completed or released', async () => {
    const first = record('i2');
    await repo.insertCapture({ record: first, clientId: 'c', singleCapture: true });
    const refused = record('i2');
    expect(
      await repo.insertCapture({ record: refused, clientId: 'c', singleCapture: true, idempotency: { key: 'k2', requestHash: 'h2' } }),
    ).toMatchObject({ inserted: false, existing: { id: first.id } });
    expect(await repo.findById(refused.id)).toBeUndefined();
    expect(await repo.takeOverStaleKey('c', 'k2', new Date(Date.now() - 60_000))).toBe(false);
    expect(await repo.takeOverStaleKey('c', 'k2', new Date(Date.now() + 60_000))).toBe(true);
    // The new holder inserts without claiming; the authorisation is still taken.
    expect(
      await repo.insertCapture({ record: record('i2'), clientId: 'c', singleCapture: true, idempotency: { key: 'k2', held: true } }),
    ).toMatchObject({ inserted: false, existing: { id: first.id } });
    await repo.completeIdempotencyKey('c', 'k2', 409, { b: 1, a: 2 });
    const replay = await repo.insertCapture({
      record: record('i2-x'),
      clientId: 'c',
      singleCapture: true,
      idempotency: { key: 'k2', requestHash: 'h2' },
    });
    expect(replay).toMatchObject({ inserted: false, keyTaken: { state: 'completed', responseStatus: 409 } });
    expect(JSON.stringify('keyTaken' in replay ? replay.keyTaken.responseBody : undefined)).toBe('{"b":1,"a":2}');
    // Released (no capture linked), the key is free again.
    await repo.insertCapture({ record: record('i2'), clientId: 'c', singleCapture: true, idempotency: { key: 'k3', requestHash: 'h3' } });
    await repo.releaseIdempotencyKey('c', 'k3');
    expect(
      await repo.insertCapture({ record: record('i3'), clientId: 'c', singleCapture: true, idempotency: { key: 'k3', requestHash: 'h3' } }),
    ).toEqual({ inserted: true });
  });

  test('two holders of one key cannot both start a capture', async () => {
    expect(
      await repo.insertCapture({ record: record('h1'), clientId: 'c', singleCapture: false, idempotency: { key: 'held', held: true } }),
    ).toEqual({ inserted: true });
    await expect(
      repo.insertCapture({ record: record('h1'), clientId: 'c', singleCapture: false, idempotency: { key: 'held', held: true } }),
    ).rejects.toBeInstanceOf(IdempotencyKeyLostError);
  });

  test('concurrent claims of one key: exactly one inserts, the others find it taken', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        repo.insertCapture({ record: record('race'), clientId: 'c', singleCapture: false, idempotency: { key: 'race', requestHash: 'h' } }),
      ),
    );
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(results.filter((r) => !r.inserted && 'keyTaken' in r)).toHaveLength(5);
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
