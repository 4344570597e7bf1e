import { type CaptureOutcome, type CaptureRecord, newCaptureId, newEventId, providerOutcomeOf } from '@capture-gateway/domain';
import type { AttentionThreshold, HealthGroup } from './ops.store';
import type { Storage } from './storage';
import { firstAnswer, record, settleIn, storageBackends, storageFor, webhookIn } from './testing/storage-backends';
import { defined } from '../testing/defined';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ok: CaptureOutcome = { status: 'succeeded', references: { captureId: 'p' } };
const pending: CaptureOutcome = { status: 'pending', references: {} };
const declined: CaptureOutcome = { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} };
const unavailable: CaptureOutcome = { status: 'failed', error: { code: 'provider_unavailable', message: 'down' }, references: {} };
const timedOut: CaptureOutcome = { status: 'unknown', error: { code: 'provider_timeout', message: 'slow' }, references: {} };

/** A capture inserted at `createdAt` (its id too: ids sort by creation) and, given one, its first answer stored. */
async function captureIn(
  storage: Storage,
  account: string,
  outcome?: CaptureOutcome,
  latencyMs = 100,
  createdAt = Date.now(),
  id = newCaptureId(createdAt),
): Promise<CaptureRecord> {
  const r = { ...record(`auth-${newEventId()}`, account), id, createdAt: iso(createdAt), updatedAt: iso(createdAt) };
  await storage.captures.insert({ record: r, clientId: 'c', singleCapture: false, nextCheckAt: null });
  if (!outcome) return r;
  const provider = { latencyMs, outcome: providerOutcomeOf(outcome) };
  const first = firstAnswer(storage, r, outcome, { provider, extra: { now: iso(createdAt + latencyMs) } });
  expect(await first.written).toBe(true);
  return first.record;
}

describe.each(storageBackends)('the operations reads on $name', ({ open }) => {
  const storage = storageFor(open);
  const capture = (account: string, outcome?: CaptureOutcome, latencyMs = 100, createdAt = Date.now()) =>
    captureIn(storage(), account, outcome, latencyMs, createdAt);

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
    expect(all[0]?.since).toBe(oldPending.updatedAt);
    expect(all[1]?.since).toBe(answeredUnknown.createdAt);
    expect(Date.parse(defined(all[3], 'a fourth entry').since)).toBeGreaterThanOrEqual(now - 1_000);
    expect(all[3]?.capture.status).toBe('succeeded');

    const first = await storage().ops.attention({ thresholds: [thresholds('att-a', now)], limit: 2 });
    const rest = await storage().ops.attention({
      thresholds: [thresholds('att-a', now)],
      after: defined(first[1], 'a second entry').capture.id,
      limit: 10,
    });
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

    const groups = await storage().ops.health({ accounts: ['hl-a'], from: now - HOUR, to: now, bucketMs });
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
    for (const { bucket } of buckets) expect(defined(bucket, 'a bucket') % bucketMs).toBe(0);
    expect(await storage().ops.health({ accounts: ['nobody'], from: now - HOUR, to: now, bucketMs })).toEqual([]);
  });

  test('latency percentiles are read from bins: exact below 100 ms, then at most 5 % under the measured value', async () => {
    const now = Date.now();
    const latencies = [5, 99, 100, 104, 137, 999, 1_000, 1_049, 1_234, 56_789];
    for (const [i, ms] of latencies.entries()) await capture('hl-c', ok, ms, now - 10 * 60_000 + i);
    const [whole] = (await storage().ops.health({ accounts: ['hl-c'], from: now - HOUR, to: now, bucketMs: 300_000 })).filter(
      (g) => g.bucket === undefined,
    );
    // Nearest rank of 10: the 5th (137 ms: bin 135) and the 10th (56,789 ms: bin 56,500).
    expect(whole?.latencyMs).toEqual({ p50: 135, p95: 56_500, p99: 56_500 });
    const two = await storage().ops.health({ accounts: ['hl-c'], from: now - 10 * 60_000 + 5, to: now, bucketMs: 300_000 });
    // From the 6th capture on: 999, 1000, 1049, 1234, 56789 -> the 3rd is 1049 (bin 1000).
    expect(two.find((g) => g.bucket === undefined)?.latencyMs.p50).toBe(1_000);
  });

  test("a first answer that says nothing was sent is not the provider's and is not counted", async () => {
    const now = Date.now();
    const notSent = (code: 'provider_unavailable' | 'currency_mismatch', message: string): CaptureOutcome => ({
      status: 'failed',
      error: { code, message },
      references: {},
    });
    await capture('hl-d', notSent('provider_unavailable', 'Acme could not be reached; nothing was sent'), 2);
    await capture('hl-d', notSent('currency_mismatch', 'This Acme account captures in JPY only, not USD; nothing was sent'), 1);
    await capture('hl-d', declined, 40);
    await capture('hl-d', unavailable, 50);
    const [whole] = (await storage().ops.health({ accounts: ['hl-d'], from: now - HOUR, to: now + 1_000, bucketMs: 300_000 })).filter(
      (g) => g.bucket === undefined,
    );
    expect(whole).toMatchObject({
      counts: { succeeded: 0, pending: 0, declined: 1, error: 1, timeout: 0 },
      latencyMs: { p50: 40, p99: 50 },
    });
  });
});

describe('provider health: the same answers on both stores', () => {
  const stores = storageBackends.map(({ open }) => storageFor(open));

  test('for the same 400 captures: every kind of answer, latencies from 0 to 100 s, across the window and before it', async () => {
    const now = Date.now();
    let seed = 20_231;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const refused: CaptureOutcome = {
      status: 'failed',
      error: { code: 'currency_mismatch', message: 'JPY only; nothing was sent' },
      references: {},
    };
    const kinds = [ok, ok, ok, pending, declined, unavailable, timedOut, refused];
    const data = Array.from({ length: 400 }, (_, i) => {
      const createdAt = now - Math.floor(random() * 1.2 * HOUR); // a sixth of them before the window
      return {
        account: i % 3 === 0 ? 'same-b' : 'same-a',
        outcome: defined(kinds[Math.floor(random() * kinds.length)], 'an outcome'),
        latencyMs: Math.floor(random() ** 3 * 100_000),
        createdAt,
        id: newCaptureId(createdAt),
      };
    });
    // A bucket of the 15-minute window in which every capture was refused before sending: no group.
    const onlyRefused = Math.floor((now - 10 * 60_000) / 60_000) * 60_000 + 30_000;
    data.push(
      ...[1, 2].map((i) => ({
        account: 'same-c',
        outcome: refused,
        latencyMs: i,
        createdAt: onlyRefused + i,
        id: newCaptureId(onlyRefused + i),
      })),
    );
    for (const store of stores) {
      for (const d of data) await captureIn(store(), d.account, d.outcome, d.latencyMs, d.createdAt, d.id);
    }
    for (const window of [
      { from: now - HOUR, bucketMs: 300_000 },
      { from: now - 15 * 60_000, bucketMs: 60_000 },
    ]) {
      const query = { accounts: ['same-a', 'same-b', 'same-c'], to: now, ...window };
      const key = (g: HealthGroup) => `${g.account}/${g.bucket ?? 'all'}`;
      const [embedded, postgres] = await Promise.all(
        stores.map(async (store) => (await store().ops.health(query)).sort((a, b) => key(a).localeCompare(key(b)))),
      );
      expect(embedded).toEqual(postgres);
      const groups = defined(embedded, "the embedded store's groups");
      expect(groups.filter((g) => g.account === 'same-c')).toEqual([]);
      const whole = groups.filter((g) => g.bucket === undefined);
      const counted = whole.reduce((sum, g) => sum + Object.values(g.counts).reduce((a, b) => a + b, 0), 0);
      expect(counted).toBe(data.filter((d) => d.createdAt >= window.from && d.outcome !== refused).length);
      expect(whole.every((g) => g.latencyMs.p99 !== null && g.latencyMs.p50 !== null && g.latencyMs.p50 <= g.latencyMs.p99)).toBe(true);
    }
  });
});
