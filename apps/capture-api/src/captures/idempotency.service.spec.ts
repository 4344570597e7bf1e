import type { LoadedConfig } from '../config/config.schemas';
import type { CaptureStore } from '../persistence/captures.store';
import type { IdempotencyEntry, IdempotencyKeyStore } from '../persistence/idempotency-keys.store';
import { IdempotencyService } from './idempotency.service';

const loaded = { config: { idempotency: { leaseSeconds: 30 } } } as unknown as LoadedConfig;
const inProgress = (ageMs: number, createdAt: Date): IdempotencyEntry => ({ requestHash: 'h', state: 'in_progress', createdAt, ageMs });

describe("idempotency keys' lease", () => {
  const takeOvers: number[] = [];
  const keys = {
    takeOverStale: async (_client: string, _key: string, leaseMs: number) => {
      takeOvers.push(leaseMs);
      return true;
    },
  } as unknown as IdempotencyKeyStore;
  const service = new IdempotencyService(keys, {} as CaptureStore, loaded);
  const request = { key: 'k', requestHash: 'h' };

  test("is measured on the database's clock: a replica whose clock runs behind still sees a stale key as stale", async () => {
    // Claimed 60 s ago by the database's clock, stamped an hour ahead of this replica's clock.
    const skewed = inProgress(60_000, new Date(Date.now() + 3_600_000));
    expect(await service.whenTaken('c', request, skewed, 'req_1')).toEqual({ takeOver: true });
    expect(takeOvers).toEqual([30_000]);
  });

  test('a key within its lease is in progress, whatever this replica thinks the time is', async () => {
    const fresh = inProgress(1_000, new Date(Date.now() - 3_600_000));
    await expect(service.whenTaken('c', request, fresh, 'req_2')).rejects.toMatchObject({ code: 'idempotency_request_in_progress' });
  });
});
