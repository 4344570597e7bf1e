import { IdempotencyKeyLostError } from './captures.store';
import { answer, declined, record, recordIn, settleIn, storageBackends, storageFor, trail, webhookIn } from './testing/storage-backends';
import { defined } from '../testing/defined';

describe.each(storageBackends)('captures and idempotency keys on $name', ({ open }) => {
  const storage = storageFor(open);

  test('stores money exactly and keeps the status history', async () => {
    const r = record('a1');
    expect(await storage().captures.insert({ nextCheckAt: null, record: r, clientId: 'c', singleCapture: true })).toEqual({
      inserted: true,
    });
    const done = await recordIn(storage(), r.id, answer({ status: 'succeeded', references: { captureId: 'p1' } }));
    expect(done.capturedAmount).toEqual(r.requestedAmount);
    // A final status never moves again.
    expect((await recordIn(storage(), r.id, { kind: 'webhook', eventId: 'e1', outcome: declined })).status).toBe('succeeded');
    expect(trail(await storage().captures.history(r.id))).toEqual(['->unknown:api', 'unknown>succeeded:api']);
  });

  test('one live capture per once-only authorisation; a failed one frees it', async () => {
    const first = record('a2');
    await storage().captures.insert({ nextCheckAt: null, record: first, clientId: 'c', singleCapture: true });
    const second = await storage().captures.insert({ nextCheckAt: null, record: record('a2'), clientId: 'c', singleCapture: true });
    expect(second).toMatchObject({ inserted: false, existing: { id: first.id } });
    await settleIn(storage(), first.id, answer(declined));
    expect(
      (await storage().captures.insert({ nextCheckAt: null, record: record('a2'), clientId: 'c', singleCapture: true })).inserted,
    ).toBe(true);
    expect(
      (await storage().captures.insert({ nextCheckAt: null, record: record('m1'), clientId: 'c', singleCapture: false })).inserted,
    ).toBe(true);
    expect(
      (await storage().captures.insert({ nextCheckAt: null, record: record('m1'), clientId: 'c', singleCapture: false })).inserted,
    ).toBe(true);
  });

  test("an authorisation's captures are all found by its id: live, failed, and a multi-capture provider's", async () => {
    const insert = (r: ReturnType<typeof record>, singleCapture: boolean) =>
      storage().captures.insert({ nextCheckAt: null, record: r, clientId: 'c', singleCapture });
    const failed = record('f1', 'byauth');
    await insert(failed, true);
    await settleIn(storage(), failed.id, answer(declined));
    const live = record('f1', 'byauth');
    await insert(live, true);
    const multi = [record('m2', 'byauth'), record('m2', 'byauth')];
    for (const r of multi) await insert(r, false);
    const listed = async (authorisationId: string) =>
      (await storage().captures.list({ accounts: ['byauth'], authorisationId, limit: 10 })).map((r) => r.id).sort();
    expect(await listed('f1')).toEqual([failed.id, live.id].sort());
    expect(await listed('m2')).toEqual(multi.map((r) => r.id).sort());
    expect((await storage().captures.findLive('byauth', 'f1'))?.id).toBe(live.id);
    expect((await storage().captures.findLive('byauth', 'm2'))?.id).toBe([...multi.map((r) => r.id)].sort().at(-1));
  });

  test('the insert claims its key in the same statement: a taken key writes nothing and names its capture', async () => {
    const first = record('i1');
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: first,
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k1', requestHash: 'h1' },
      }),
    ).toEqual({ inserted: true });
    const again = record('i1-other');
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: again,
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k1', requestHash: 'h1' },
      }),
    ).toMatchObject({ inserted: false, keyTaken: { state: 'in_progress', requestHash: 'h1', captureId: first.id } });
    expect(await storage().captures.findById(again.id)).toBeUndefined();
    // Keys are per client.
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: record('i1-b'),
        clientId: 'other',
        singleCapture: true,
        idempotency: { key: 'k1', requestHash: 'h1' },
      }),
    ).toEqual({ inserted: true });
    // A key whose capture exists is never taken over nor released: the provider may have been called.
    expect(await storage().idempotencyKeys.takeOverStale('c', 'k1', -60_000)).toBe(false);
    await storage().idempotencyKeys.release('c', 'k1');
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: record('i1-c'),
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k1', requestHash: 'h1' },
      }),
    ).toMatchObject({ inserted: false, keyTaken: { captureId: first.id } });
  });

  test('a key claimed for an authorisation already captured stays unlinked: it can be taken over, completed or released', async () => {
    const first = record('i2');
    await storage().captures.insert({ nextCheckAt: null, record: first, clientId: 'c', singleCapture: true });
    const refused = record('i2');
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: refused,
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k2', requestHash: 'h2' },
      }),
    ).toMatchObject({ inserted: false, existing: { id: first.id } });
    expect(await storage().captures.findById(refused.id)).toBeUndefined();
    expect(await storage().idempotencyKeys.takeOverStale('c', 'k2', 60_000)).toBe(false);
    expect(await storage().idempotencyKeys.takeOverStale('c', 'k2', -60_000)).toBe(true);
    // The new holder inserts without claiming; the authorisation is still taken.
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: record('i2'),
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k2', held: true },
      }),
    ).toMatchObject({ inserted: false, existing: { id: first.id } });
    await storage().idempotencyKeys.complete({ clientId: 'c', key: 'k2', response: { status: 409, body: { b: 1, a: 2 } } });
    const replay = await storage().captures.insert({
      nextCheckAt: null,
      record: record('i2-x'),
      clientId: 'c',
      singleCapture: true,
      idempotency: { key: 'k2', requestHash: 'h2' },
    });
    expect(replay).toMatchObject({ inserted: false, keyTaken: { state: 'completed', responseStatus: 409 } });
    expect(JSON.stringify('keyTaken' in replay ? replay.keyTaken.responseBody : undefined)).toBe('{"b":1,"a":2}');
    // Released (no capture linked), the key is free again.
    await storage().captures.insert({
      nextCheckAt: null,
      record: record('i2'),
      clientId: 'c',
      singleCapture: true,
      idempotency: { key: 'k3', requestHash: 'h3' },
    });
    await storage().idempotencyKeys.release('c', 'k3');
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: record('i3'),
        clientId: 'c',
        singleCapture: true,
        idempotency: { key: 'k3', requestHash: 'h3' },
      }),
    ).toEqual({ inserted: true });
  });

  test('two holders of one key cannot both start a capture', async () => {
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: record('h1'),
        clientId: 'c',
        singleCapture: false,
        idempotency: { key: 'held', held: true },
      }),
    ).toEqual({ inserted: true });
    await expect(
      storage().captures.insert({
        nextCheckAt: null,
        record: record('h1'),
        clientId: 'c',
        singleCapture: false,
        idempotency: { key: 'held', held: true },
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyLostError);
  });

  test('concurrent claims of one key: exactly one inserts, the others find it taken', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        storage().captures.insert({
          nextCheckAt: null,
          record: record('race'),
          clientId: 'c',
          singleCapture: false,
          idempotency: { key: 'race', requestHash: 'h' },
        }),
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
      await storage().captures.insert({ nextCheckAt: null, record: r, clientId: 'c', singleCapture: true });
      await new Promise((done) => setTimeout(done, 2));
    }
    const first = await storage().captures.list({ accounts: ['listed'], limit: 2 });
    const second = await storage().captures.list({ accounts: ['listed'], limit: 2, after: defined(first[1], 'a second capture').id });
    expect([...first, ...second].map((r) => r.id)).toEqual([...ids].reverse());
    expect(await storage().captures.list({ accounts: ['nobody'], limit: 10 })).toEqual([]);
  });
  test('finds a capture by its provider reference on one account', async () => {
    const r = record('p1', 'byref');
    await storage().captures.insert({ nextCheckAt: null, record: r, clientId: 'c', singleCapture: false });
    await settleIn(storage(), r.id, answer({ status: 'pending', references: { captureId: 'prov-77' } }));
    expect((await storage().captures.findByProviderCaptureId('byref', 'prov-77'))?.id).toBe(r.id);
    expect(await storage().captures.findByProviderCaptureId('other', 'prov-77')).toBeUndefined();
    expect(await storage().captures.findByProviderCaptureId('byref', 'prov-78')).toBeUndefined();
  });
  test('after the retention a key is forgotten, unlinked from its capture, and new again; webhook event ids too', async () => {
    const first = record('ret-1');
    await storage().captures.insert({
      nextCheckAt: null,
      record: first,
      clientId: 'c',
      singleCapture: false,
      idempotency: { key: 'ret', requestHash: 'h' },
    });
    await storage().idempotencyKeys.complete({ clientId: 'c', key: 'ret', response: { status: 201, body: { id: first.id } } });
    // Within the retention: the key replays.
    expect(await storage().idempotencyKeys.prune(new Date(Date.now() - 60_000))).toBe(0);
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: record('ret-2'),
        clientId: 'c',
        singleCapture: false,
        idempotency: { key: 'ret', requestHash: 'h' },
      }),
    ).toMatchObject({
      inserted: false,
      keyTaken: { state: 'completed' },
    });
    // Past it: gone, and the same key starts a new capture.
    expect(await storage().idempotencyKeys.prune(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await storage().idempotencyKeys.entry('c', 'ret')).toBeUndefined();
    const again = record('ret-3');
    expect(
      await storage().captures.insert({
        nextCheckAt: null,
        record: again,
        clientId: 'c',
        singleCapture: false,
        idempotency: { key: 'ret', requestHash: 'h2' },
      }),
    ).toEqual({ inserted: true });
    expect(await storage().captures.findById(first.id)).toMatchObject({ id: first.id });

    await webhookIn(storage(), again.account, again.id, 'ret-evt', { status: 'pending', references: {} });
    expect(await storage().webhookEvents.prune(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await webhookIn(storage(), again.account, again.id, 'ret-evt', { status: 'pending', references: {} })).toMatchObject({
      duplicate: false,
    });
  });
});
