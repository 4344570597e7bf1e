import { afterFailure } from './delivery-backoff';

const settings = {
  enabled: true,
  intervalMs: 1_000,
  timeoutMs: 10_000,
  leaseSeconds: 60,
  initialBackoffSeconds: 10,
  maxBackoffSeconds: 3_600,
  retryForHours: 72,
};
const now = new Date('2026-11-21T12:00:00Z');
const waitOf = (next: ReturnType<typeof afterFailure>) =>
  next.state === 'pending' ? (next.nextAttemptAt.getTime() - now.getTime()) / 1000 : NaN;

describe('delivery backoff', () => {
  test('doubles from the initial wait, capped, with a jitter of half to one and a half', () => {
    const created = now.toISOString();
    expect([1, 2, 3, 4].map((attempt) => waitOf(afterFailure(settings, attempt, created, now, () => 0.5)))).toEqual([10, 20, 40, 80]);
    expect(waitOf(afterFailure(settings, 30, created, now, () => 0.5))).toBe(3_600);
    expect(waitOf(afterFailure(settings, 3, created, now, () => 0))).toBe(20);
    expect(waitOf(afterFailure(settings, 3, created, now, () => 0.999999))).toBeCloseTo(60, 2);
  });

  test('keeps retrying for at least 24 hours by default, and gives up once the event is older than retryForHours', () => {
    const dayOld = new Date(now.getTime() - 24 * 3_600_000).toISOString();
    expect(afterFailure(settings, 40, dayOld, now).state).toBe('pending');
    const tooOld = new Date(now.getTime() - 72 * 3_600_000 + 1_000).toISOString();
    expect(afterFailure(settings, 40, tooOld, now, () => 0.5)).toEqual({ state: 'failed' });
  });
});
