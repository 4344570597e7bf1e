import { type CaptureOutcome, type CaptureRecord, newCaptureId, newEventId, providerOutcomeOf } from '@capture-gateway/domain';
import type { AttentionThreshold } from './ops.store';
import { firstAnswer, record, settleIn, storageBackends, storageFor, webhookIn } from './testing/storage-backends';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ok: CaptureOutcome = { status: 'succeeded', references: { captureId: 'p' } };
const pending: CaptureOutcome = { status: 'pending', references: {} };
const declined: CaptureOutcome = { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} };
const unavailable: CaptureOutcome = { status: 'failed', error: { code: 'provider_unavailable', message: 'down' }, references: {} };
const timedOut: CaptureOutcome = { status: 'unknown', error: { code: 'provider_timeout', message: 'slow' }, references: {} };

describe.each(storageBackends)('the operations reads on $name', ({ open }) => {
  const storage = storageFor(open);

  /** A capture inserted at `createdAt` (its id too: ids sort by creation) and, given one, its first answer stored. */
  async function capture(account: string, outcome?: CaptureOutcome, latencyMs = 100, createdAt = Date.now()): Promise<CaptureRecord> {
    const r = {
      ...record(`auth-${newEventId()}`, account),
      id: newCaptureId(createdAt),
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt),
    };
    await storage().captures.insert({ record: r, clientId: 'c', singleCapture: false, nextCheckAt: null });
    if (!outcome) return r;
    const provider = { latencyMs, outcome: providerOutcomeOf(outcome) };
    const first = firstAnswer(storage(), r, outcome, { provider, extra: { now: iso(createdAt + latencyMs) } });
    expect(await first.written).toBe(true);
    return first.record;
  }

  const thresholds = (account: string, now = Date.now()): AttentionThreshold => ({
    account,
    unknownBefore: iso(now - 12_000),
    pendingBefore: iso(now - 900_000),
  });

  test('lists unknown captures whose call has ended, pending ones past the threshold and flagged ones, oldest first, paged', async () => {
    const now = Date.now();
    const answeredUnknown = await capture('att-a', timedOut, 5_000, now - 60_000);
    const stuckInFlight = await capture('att-a', undefined, 0, now - 30_000); // a crash mid-call: no answer stored
    await capture('att-a', undefined, 0, now - 1_000); // still being sent: not yet
    const oldPending = await capture('att-a', pending, 50, now - 2 * HOUR);
    await capture('att-a', pending, 50, now - 60_000); // pending, within its threshold
    await capture('att-a', ok);
    const contradicted = await capture('att-a', ok, 80, now - 10_000);
    await webhookIn(storage(), 'att-a', contradicted.id, 'evt-contra', declined);
    // A flagged capture in doubt is listed once, for its flag.
    const overCaptured = await capture('att-a', pending, 50, now - 5_000);
    await webhookIn(storage(), 'att-a', overCaptured.id, 'evt-over', {
      status: 'succeeded',
      capturedAmount: { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' },
      references: {},
    });
    await capture('att-b', timedOut); // another account: not asked for

    const all = await storage().ops.attention({ thresholds: [thresholds('att-a', now)], limit: 10 });
    expect(all.map((e) => [e.capture.id, e.reason])).toEqual([
      [oldPending.id, 'pending_too_long'],
      [answeredUnknown.id, 'unknown'],
      [stuckInFlight.id, 'unknown'],
      [contradicted.id, 'contradicted'],
      [overCaptured.id, 'currency_differs'],
    ]);
    expect(all[0]!.since).toBe(oldPending.updatedAt);
    expect(all[1]!.since).toBe(answeredUnknown.createdAt);
    expect(Date.parse(all[3]!.since)).toBeGreaterThanOrEqual(now - 1_000);
    expect(all[3]!.capture.status).toBe('succeeded');

    const first = await storage().ops.attention({ thresholds: [thresholds('att-a', now)], limit: 2 });
    const rest = await storage().ops.attention({ thresholds: [thresholds('att-a', now)], after: first[1]!.capture.id, limit: 10 });
    expect([...first, ...rest].map((e) => e.capture.id)).toEqual(all.map((e) => e.capture.id));
    expect(await storage().ops.attention({ thresholds: [], limit: 10 })).toEqual([]);
  });

  test('a capture leaves the list once settled, a flagged one once acknowledged', async () => {
    const stuck = await capture('att-c', timedOut);
    expect((await storage().ops.attention({ thresholds: [thresholds('att-c')], limit: 10 })).map((e) => e.capture.id)).toEqual([stuck.id]);
    await settleIn(storage(), stuck.id, { kind: 'resolve', status: 'succeeded', reason: 'seen in the report', actor: 'ops/key' });
    expect(await storage().ops.attention({ thresholds: [thresholds('att-c')], limit: 10 })).toEqual([]);
    const flagged = await capture('att-c', ok);
    await webhookIn(storage(), 'att-c', flagged.id, 'evt-no', declined);
    expect((await storage().ops.attention({ thresholds: [thresholds('att-c')], limit: 10 })).map((e) => e.reason)).toEqual([
      'contradicted',
    ]);
    await settleIn(storage(), flagged.id, { kind: 'acknowledge', note: 'refunded by hand', actor: 'ops/key' });
    expect(await storage().ops.attention({ thresholds: [thresholds('att-c')], limit: 10 })).toEqual([]);
  });

  test("health counts each first answer by kind with latency percentiles, over the window's id range, per bucket", async () => {
    const now = Date.now();
    const bucketMs = 300_000;
    // Ten answers in the window, latencies 10..100 ms; one before the window; one in flight (no answer).
    const kinds = [ok, ok, ok, ok, ok, pending, declined, declined, unavailable, timedOut];
    for (const [i, outcome] of kinds.entries()) await capture('hl-a', outcome, (i + 1) * 10, now - 20 * 60_000 + i);
    await capture('hl-a', ok, 9_999, now - 2 * HOUR);
    await capture('hl-a', undefined);
    await capture('hl-b', declined, 70);

    const groups = await storage().ops.health({ accounts: ['hl-a'], fromId: newCaptureId(now - HOUR).slice(0, 14), bucketMs });
    const whole = groups.filter((g) => g.bucket === undefined);
    expect(whole).toEqual([
      {
        account: 'hl-a',
        provider: 'fake',
        counts: { succeeded: 5, pending: 1, declined: 2, error: 1, timeout: 1 },
        latencyMs: { p50: 50, p95: 100, p99: 100 },
      },
    ]);
    const buckets = groups.filter((g) => g.bucket !== undefined);
    expect(buckets.map((g) => Object.values(g.counts).reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0)).toBe(10);
    for (const g of buckets) expect(g.bucket! % bucketMs).toBe(0);
    expect(await storage().ops.health({ accounts: ['nobody'], fromId: 'cap_0', bucketMs })).toEqual([]);
  });
});
