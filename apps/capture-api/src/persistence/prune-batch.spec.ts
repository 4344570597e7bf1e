import { type DeliveryTarget, newEventId } from '@capture-gateway/domain';
import { firstAnswer, record, storageBackends, storageFor, webhookIn } from './testing/storage-backends';
import { defined } from '../testing/defined';

const ALL = ['capture.pending', 'capture.succeeded', 'capture.failed', 'capture.unknown'] as const;
const targets: DeliveryTarget[] = [
  { subscriptionId: 'p/a', clientId: 'p', types: ALL },
  { subscriptionId: 'p/b', clientId: 'p', types: ALL },
];
const LIMIT = 10;
const soon = () => new Date(Date.now() + 60_000);
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

/** Calls `batch` until it deletes nothing; returns what each call deleted. */
async function batches(batch: () => Promise<number>): Promise<number[]> {
  const counts: number[] = [];
  for (let rows = -1; rows !== 0;) counts.push((rows = await batch()));
  return counts;
}

describe.each(storageBackends)('pruning in bounded batches on $name', ({ open }) => {
  const storage = storageFor(open);

  test('events with their deliveries and attempts: at most the limit per table per batch, children first', async () => {
    const eventIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = record(`pe-${i}`, 'prune');
      await storage().captures.insert({ record: r, clientId: 'p', singleCapture: false, nextCheckAt: null });
      const eventId = newEventId();
      eventIds.push(eventId);
      const first = firstAnswer(
        storage(),
        r,
        { status: 'succeeded', references: {} },
        { clientId: 'p', extra: { eventId, subscriptions: targets } },
      );
      expect(await first.written).toBe(true);
    }
    // One failed attempt on each of the 24 deliveries: 12 events, 24 deliveries, 24 attempts in all.
    const now = new Date(Date.now() + 1_000);
    for (const subscription of ['p/a', 'p/b']) {
      for (const due of await storage().deliveries.claimDue(subscription, now, 50, new Date(now.getTime() + 30_000))) {
        const next = { state: 'pending' as const, nextAttemptAt: now };
        await storage().deliveries.recordAttempt(due, { at: now, status: 500, durationMs: 3, error: 'HTTP 500' }, next);
      }
    }
    // The first test of the suite: these are all the events there are.
    const counts = await batches(() => storage().deliveries.prune(soon(), LIMIT));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12 + 24 + 24);
    for (const rows of counts) expect(rows).toBeLessThanOrEqual(3 * LIMIT);
    expect(counts.length).toBeGreaterThan(3);
    for (const id of eventIds) expect(await storage().events.find('p', id)).toBeUndefined();
    expect(await storage().deliveries.backlog()).toEqual([]);
  });

  test('idempotency keys: at most the limit per batch, each unlinked from its capture; newer keys stay', async () => {
    const old: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = record(`pk-${i}`, 'prune');
      old.push(r.id);
      await storage().captures.insert({
        record: r,
        clientId: 'p',
        singleCapture: false,
        nextCheckAt: null,
        idempotency: { key: `k-${i}`, requestHash: 'h' },
      });
    }
    await pause();
    const before = new Date();
    await pause();
    await storage().captures.insert({
      record: record('pk-new', 'prune'),
      clientId: 'p',
      singleCapture: false,
      nextCheckAt: null,
      idempotency: { key: 'k-new', requestHash: 'h' },
    });

    expect(await batches(() => storage().idempotencyKeys.prune(before, LIMIT))).toEqual([10, 10, 5, 0]);
    expect(await storage().idempotencyKeys.entry('p', 'k-0')).toBeUndefined();
    expect(await storage().idempotencyKeys.entry('p', 'k-new')).toBeDefined();
    // Unlinked: the same key starts a new capture, and the old capture is still there.
    const again = record('pk-again', 'prune');
    expect(
      await storage().captures.insert({
        record: again,
        clientId: 'p',
        singleCapture: false,
        nextCheckAt: null,
        idempotency: { key: 'k-24', requestHash: 'h2' },
      }),
    ).toEqual({ inserted: true });
    expect(await storage().captures.findById(defined(old[24], 'a 25th capture'))).toMatchObject({ id: old[24] });
  });

  test('webhook event ids: at most the limit per batch; newer ones stay', async () => {
    const r = record('pw-1', 'prune');
    await storage().captures.insert({ record: r, clientId: 'p', singleCapture: false, nextCheckAt: null });
    const apply = (eventId: string) => webhookIn(storage(), 'prune', r.id, eventId, { status: 'pending', references: {} });
    for (let i = 0; i < 23; i++) await apply(`pw-evt-${i}`);
    await pause();
    const before = new Date();
    await pause();
    await apply('pw-evt-new');
    expect(await batches(() => storage().webhookEvents.prune(before, LIMIT))).toEqual([10, 10, 3, 0]);
    expect(await apply('pw-evt-0')).toMatchObject({ duplicate: false }); // forgotten
    expect(await apply('pw-evt-new')).toEqual({ duplicate: true }); // kept
  });
});
