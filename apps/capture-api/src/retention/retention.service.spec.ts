import { Writable } from 'node:stream';
import type { LoadedConfig } from '../config/config.schemas';
import { createAppLogger } from '../observability';
import type { EventDeliveryStore } from '../persistence/event-deliveries.store';
import type { IdempotencyKeyStore } from '../persistence/idempotency-keys.store';
import { PRUNE_BATCH_ROWS } from '../persistence/prune-batch';
import type { WebhookEventStore } from '../persistence/webhook-events.store';
import { FIRST_PRUNE_AFTER_MS, PRUNE_EVERY_MS, RetentionService } from './retention.service';

const HOUR = 3_600_000;
const loaded = { config: { idempotency: { retentionHours: 72 }, events: { retentionDays: 30 } } } as LoadedConfig;

/** A store whose prune hands out `backlog` rows, at most `limit` per batch, and remembers each call. */
function fakePrune(backlog: number) {
  const calls: Array<{ before: Date; limit: number | undefined }> = [];
  let left = backlog;
  return {
    calls,
    refill: (rows: number) => (left += rows),
    prune: async (before: Date, limit?: number) => {
      calls.push({ before, limit });
      const rows = Math.min(left, limit ?? PRUNE_BATCH_ROWS);
      left -= rows;
      return rows;
    },
  };
}

function retention(backlogs: { keys: number; webhookEvents: number; events: number }) {
  const keys = fakePrune(backlogs.keys);
  const webhookEvents = fakePrune(backlogs.webhookEvents);
  const events = fakePrune(backlogs.events);
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const service = new RetentionService(
    { prune: keys.prune } as unknown as IdempotencyKeyStore,
    { prune: webhookEvents.prune } as unknown as WebhookEventStore,
    { prune: events.prune } as unknown as EventDeliveryStore,
    loaded,
    createAppLogger({ level: 'silent', destination: quiet }),
  );
  return { service, keys, webhookEvents, events };
}

describe('pruning past the retention', () => {
  afterEach(() => jest.useRealTimers());

  test('the first pass runs soon after start-up, not an hour later; then hourly', async () => {
    jest.useFakeTimers();
    const { service, keys } = retention({ keys: 5, webhookEvents: 0, events: 0 });
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(FIRST_PRUNE_AFTER_MS * 0.5 - 1);
    expect(keys.calls).toHaveLength(0); // spread: never before half the delay
    await jest.advanceTimersByTimeAsync(FIRST_PRUNE_AFTER_MS + 1); // and by one and a half times it at the latest
    expect(keys.calls.length).toBeGreaterThan(0);
    const afterFirst = keys.calls.length;
    keys.refill(3);
    await jest.advanceTimersByTimeAsync(PRUNE_EVERY_MS);
    expect(keys.calls.length).toBeGreaterThan(afterFirst);
    service.beforeApplicationShutdown();
    await service.onApplicationShutdown();
  });

  test('each kind goes in batches of at most PRUNE_BATCH_ROWS rows until none is left', async () => {
    const { service, keys, webhookEvents, events } = retention({ keys: 2_500, webhookEvents: 1_000, events: 0 });
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(await service.prune(now)).toEqual({ keys: 2_500, webhookEvents: 1_000, eventRows: 0 });
    expect(keys.calls.map((c) => c.limit)).toEqual([PRUNE_BATCH_ROWS, PRUNE_BATCH_ROWS, PRUNE_BATCH_ROWS, PRUNE_BATCH_ROWS]);
    expect(webhookEvents.calls).toHaveLength(2);
    expect(events.calls).toHaveLength(1);
    expect(keys.calls[0]?.before).toEqual(new Date(now - 72 * HOUR));
    expect(webhookEvents.calls[0]?.before).toEqual(new Date(now - 72 * HOUR));
    expect(events.calls[0]?.before).toEqual(new Date(now - 30 * 24 * HOUR));
  });

  test('a shutdown stops a pass at its next batch, however large the backlog', async () => {
    const { service, keys } = retention({ keys: Number.MAX_SAFE_INTEGER, webhookEvents: 0, events: 0 });
    const pass = service.prune();
    await new Promise((resolve) => setTimeout(resolve, 20));
    service.beforeApplicationShutdown();
    const pruned = await pass;
    const calls = keys.calls.length;
    expect(pruned.keys).toBe(calls * PRUNE_BATCH_ROWS);
    expect(calls).toBeGreaterThan(0);
  });
});
