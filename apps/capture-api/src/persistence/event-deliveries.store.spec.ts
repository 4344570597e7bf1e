import { newEventId } from '@capture-gateway/domain';
import type { CaptureRecord, DeliveryTarget } from '@capture-gateway/domain';
import { firstAnswer, record, settleIn, storageBackends, storageFor } from './testing/storage-backends';
import { defined } from '../testing/defined';

const ALL = ['capture.pending', 'capture.succeeded', 'capture.failed', 'capture.unknown'] as const;
const targets: DeliveryTarget[] = [
  { subscriptionId: 'c/all', clientId: 'c', types: ALL },
  { subscriptionId: 'c/final', clientId: 'c', types: ['capture.succeeded', 'capture.failed'] },
  { subscriptionId: 'other/all', clientId: 'other', types: ALL },
];

describe.each(storageBackends)('event deliveries on $name', ({ open }) => {
  const storage = storageFor(open);

  async function pendingCapture(authorisationId: string): Promise<{ record: CaptureRecord; eventId: string }> {
    const r = record(authorisationId, 'deliv');
    await storage().captures.insert({ record: r, clientId: 'c', singleCapture: false, nextCheckAt: null });
    const eventId = newEventId();
    await firstAnswer(storage(), r, { status: 'pending', references: {} }, { extra: { eventId, subscriptions: targets } }).written;
    return { record: r, eventId };
  }

  test("an event goes, in its own transaction, only to its client's subscriptions that take its type", async () => {
    const { record: r, eventId } = await pendingCapture('d1');
    expect((await storage().events.deliveries(eventId)).map((d) => [d.subscriptionId, d.state, d.attempts])).toEqual([
      ['c/all', 'pending', 0],
    ]);
    const moved = newEventId();
    await settleIn(
      storage(),
      r.id,
      { kind: 'webhook', eventId: 'w', outcome: { status: 'succeeded', references: {} } },
      { eventId: moved, subscriptions: targets },
    );
    expect((await storage().events.deliveries(moved)).map((d) => d.subscriptionId)).toEqual(['c/all', 'c/final']);
  });

  test('due deliveries are leased under the per-endpoint cap; an attempt is recorded and settles or reschedules them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await pendingCapture(`d2-${i}`)).eventId);
    const now = new Date(Date.now() + 1_000);
    const lease = new Date(now.getTime() + 30_000);
    const first = await storage().deliveries.claimDue('c/all', now, 2, lease);
    expect(first).toHaveLength(2);
    const [one, two] = [defined(first[0], 'a first delivery'), defined(first[1], 'a second delivery')];
    expect(JSON.parse(one.payload)).toMatchObject({ type: 'capture.pending', sequence: 1 });
    // Two in flight under live leases: the cap of 2 leaves no room, on any caller.
    expect(await storage().deliveries.claimDue('c/all', now, 2, lease)).toEqual([]);
    expect(await storage().deliveries.recordAttempt(one, { at: now, status: 200, durationMs: 12 }, { state: 'delivered' })).toBe(true);
    const retryAt = new Date(now.getTime() + 60_000);
    await storage().deliveries.recordAttempt(
      two,
      { at: now, status: 503, durationMs: 40, error: 'HTTP 503' },
      { state: 'pending', nextAttemptAt: retryAt },
    );
    const delivered = await storage().events.deliveries(one.eventId);
    expect(delivered[0]).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: now.toISOString() });
    expect((await storage().events.deliveries(two.eventId))[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 503,
      lastError: 'HTTP 503',
      nextAttemptAt: retryAt.toISOString(),
    });
    // Both leases released: room for two again, neither of them (one delivered, one waiting for its time).
    const second = await storage().deliveries.claimDue('c/all', now, 2, lease);
    expect(second).toHaveLength(2);
    for (const d of second) expect(first.map((f) => f.eventId)).not.toContain(d.eventId);
    expect([...first, ...second].map((d) => d.eventId)).toEqual(expect.arrayContaining(ids.slice(0, 1)));
    const later = await storage().deliveries.claimDue('c/all', new Date(retryAt.getTime() + 1), 5, new Date(retryAt.getTime() + 30_000));
    expect(later.map((d) => [d.eventId, d.attempts])).toContainEqual([two.eventId, 1]);
  });

  test('redelivery makes an event due again; backlog and pruning', async () => {
    const { eventId } = await pendingCapture('d3');
    const now = new Date(Date.now() + 2_000);
    const [due] = (await storage().deliveries.claimDue('c/all', now, 50, new Date(now.getTime() + 1_000))).filter(
      (d) => d.eventId === eventId,
    );
    await storage().deliveries.recordAttempt(
      defined(due, 'a due delivery'),
      { at: now, status: 200, durationMs: 1 },
      { state: 'delivered' },
    );
    expect(await storage().deliveries.redeliver(eventId, ['c/all', 'c/final'], now)).toBe(2);
    expect((await storage().events.deliveries(eventId)).map((d) => [d.subscriptionId, d.state])).toEqual([
      ['c/all', 'pending'],
      ['c/final', 'pending'],
    ]);
    expect((await storage().deliveries.backlog()).find((b) => b.subscriptionId === 'c/final')?.pending).toBeGreaterThanOrEqual(1);
    const pruned = await storage().deliveries.prune(new Date(Date.now() + 60_000));
    expect(pruned).toBeGreaterThan(0);
    expect(await storage().events.find('c', eventId)).toBeUndefined();
    expect(await storage().deliveries.backlog()).toEqual([]);
  });

  /** Claims the delivery of `eventId` to c/all at `now`, under a lease of `leaseMs`. */
  async function claim(eventId: string, now: Date, leaseMs: number) {
    const due = await storage().deliveries.claimDue('c/all', now, 50, new Date(now.getTime() + leaseMs));
    return due.find((d) => d.eventId === eventId);
  }
  const failedAt = (at: Date) => ({ at, status: 503, durationMs: 7_000, error: 'the endpoint answered HTTP 503' });

  test("an attempt that outlived its lease cannot record its result over the newer attempt's, in either order", async () => {
    for (const staleFirst of [false, true]) {
      const { eventId } = await pendingCapture(`d4-${staleFirst}`);
      const t0 = new Date(Date.now() + 3_000);
      const stale = defined(await claim(eventId, t0, 5_000), 'a first claim');
      // The lease runs out while the first attempt still waits on a slow receiver: another replica takes it over.
      const t1 = new Date(t0.getTime() + 6_000);
      expect(await claim(eventId, new Date(t0.getTime() + 4_000), 5_000)).toBeUndefined(); // not while the lease lives
      const newer = defined(await claim(eventId, t1, 5_000), 'a claim after the lease ran out');
      expect(newer.claim).toBeGreaterThan(stale.claim);
      const late = () => storage().deliveries.recordAttempt(stale, failedAt(t1), { state: 'pending', nextAttemptAt: t1 });
      if (staleFirst) expect(await late()).toBe(false);
      expect(await storage().deliveries.recordAttempt(newer, { at: t1, status: 200, durationMs: 20 }, { state: 'delivered' })).toBe(true);
      if (!staleFirst) expect(await late()).toBe(false);
      expect((await storage().events.deliveries(eventId)).find((d) => d.subscriptionId === 'c/all')).toMatchObject({
        state: 'delivered',
        attempts: 1,
        lastStatus: 200,
        deliveredAt: t1.toISOString(),
      });
    }
  });

  test('an attempt past its lease that nobody took over still records its result', async () => {
    const { eventId } = await pendingCapture('d5');
    const t0 = new Date(Date.now() + 3_000);
    const slow = defined(await claim(eventId, t0, 1_000), 'a claim');
    const later = new Date(t0.getTime() + 5_000);
    expect(await storage().deliveries.recordAttempt(slow, failedAt(later), { state: 'pending', nextAttemptAt: later })).toBe(true);
    expect((await storage().events.deliveries(eventId)).find((d) => d.subscriptionId === 'c/all')).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 503,
    });
  });

  test('a redelivery asked while an attempt is in flight waits for it: the lease is kept', async () => {
    const { eventId } = await pendingCapture('d6');
    const t0 = new Date(Date.now() + 3_000);
    const inFlight = defined(await claim(eventId, t0, 30_000), 'a claim');
    expect(await storage().deliveries.redeliver(eventId, ['c/all'], t0)).toBe(1);
    expect(await claim(eventId, new Date(t0.getTime() + 1_000), 30_000)).toBeUndefined();
    expect(await storage().deliveries.recordAttempt(inFlight, failedAt(t0), { state: 'pending', nextAttemptAt: t0 })).toBe(true);
    expect((await claim(eventId, new Date(t0.getTime() + 1_000), 30_000))?.attempts).toBe(1);
  });
});
