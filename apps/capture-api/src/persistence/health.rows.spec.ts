import { DatabaseSync } from 'node:sqlite';
import { captureIdFloor } from '@capture-gateway/domain';
import { healthSlices, HealthTally, latencyBinSql } from './health.rows';
import { defined } from '../testing/defined';

describe('latency bins', () => {
  test('exact below 100 ms; above, the lower edge of a bin at most 5 % narrower than its values', () => {
    const db = new DatabaseSync(':memory:');
    const bin = db.prepare(`SELECT ${latencyBinSql('?1')} AS bin`);
    for (let ms = 0; ms < 2_000_000; ms += ms < 2_000 ? 1 : 997) {
      const { bin: b } = bin.get(BigInt(ms)) as { bin: number }; // an INTEGER, as the column is
      if (ms < 100) expect(b).toBe(ms);
      expect(b).toBeLessThanOrEqual(ms);
      expect(ms - b).toBeLessThan(Math.max(1, 0.05 * ms));
    }
    expect(bin.get(null)).toEqual({ bin: null });
  });
});

describe('the window in slices', () => {
  test('id ranges that cover the window end to end, never straddle a bucket, a minute at most', () => {
    const from = Date.parse('2026-12-01T10:02:30Z');
    const to = from + 3_600_000;
    const slices = healthSlices({ accounts: [], from, to, bucketMs: 300_000 }, 60_000);
    expect(slices[0]).toEqual({
      fromId: captureIdFloor(from),
      toId: captureIdFloor(Date.parse('2026-12-01T10:03:00Z')),
      bucket: Date.parse('2026-12-01T10:00:00Z'),
    });
    for (const [i, slice] of slices.entries()) {
      if (i > 0) expect(slice.fromId).toBe(slices[i - 1]?.toId);
      expect(slice.fromId < slice.toId).toBe(true);
    }
    expect(defined(slices.at(-1), 'a slice').toId >= captureIdFloor(to)).toBe(true);
    expect(new Set(slices.map((s) => s.bucket)).size).toBe(13);
    // One slice per bucket when the slice is the bucket (PostgreSQL's way).
    expect(healthSlices({ accounts: [], from, to, bucketMs: 300_000 })).toHaveLength(13);
  });
});

describe('tallying counts', () => {
  test('nearest rank over bins, whole window and per bucket; refusals taken off; a group left empty is dropped', () => {
    const tally = new HealthTally();
    const row = (bucket: number, outcome: 'succeeded' | 'declined', bin: number | null, n: number) => ({
      account: 'a',
      provider: 'p',
      bucket,
      outcome,
      bin,
      n,
    });
    tally.add([row(0, 'succeeded', 10, 5), row(0, 'succeeded', 200, 4), row(0, 'declined', 3_000, 1), row(60, 'declined', null, 2)]);
    tally.add([row(60, 'declined', null, -2)]);
    expect(tally.groups()).toEqual([
      {
        account: 'a',
        provider: 'p',
        counts: { succeeded: 9, pending: 0, declined: 1, error: 0, timeout: 0 },
        latencyMs: { p50: 10, p95: 3_000, p99: 3_000 },
      },
      {
        account: 'a',
        provider: 'p',
        bucket: 0,
        counts: { succeeded: 9, pending: 0, declined: 1, error: 0, timeout: 0 },
        latencyMs: { p50: 10, p95: 3_000, p99: 3_000 },
      },
    ]);
  });
});
