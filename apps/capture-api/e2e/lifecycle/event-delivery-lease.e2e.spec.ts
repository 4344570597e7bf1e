import pg from 'pg';
import {
  call,
  capture,
  defined,
  type EventPage,
  type EventReceiver,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  freePort,
  postgresBackend,
  type ServiceProcess,
  spawnService,
  startEventReceiver,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

const SECRET = 'whsec_slow_events_0123456789';
const LEASE_SECONDS = 5;
const RECEIVER_DELAY_MS = 7_000; // slower than the lease, as in issue 23

// Two replicas on one PostgreSQL deliver to a receiver that answers later than the delivery lease
// lasts. Each attempt must end (its timeout) before its lease does, so no two attempts of one event
// are ever open at the receiver at once, and every attempt it saw is recorded once.
describe('event delivery to a receiver slower than the lease, two replicas (PostgreSQL)', () => {
  let sandbox: FakeSandbox;
  let receiver: EventReceiver;
  let database: { url?: string; schema?: string };
  let destroy: () => Promise<void>;
  const services: ServiceProcess[] = [];

  const config = (delivery: Record<string, unknown>) => {
    const base = fakeConfig(database);
    const [shop, ...others] = base.clients;
    const subscriptions = [{ id: 'slow', url: `${receiver.url}/events`, secrets: [{ env: 'SLOW_SECRET' }], maxConcurrent: 1 }];
    return writeConfig({ ...base, clients: [{ ...shop, subscriptions }, ...others], events: { delivery } });
  };
  const env = () => ({ ...fakeEnv(sandbox), SLOW_SECRET: SECRET });

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    receiver = await startEventReceiver(await freePort(), RECEIVER_DELAY_MS);
    const db = await postgresBackend.create();
    database = db.database;
    destroy = db.destroy;
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await receiver?.stop();
    await sandbox?.close();
    await destroy?.();
  });

  test("the issue's config (a 7 s timeout under a 5 s lease) stops start-up, naming the setting", async () => {
    const refused = spawnService(config({ leaseSeconds: LEASE_SECONDS, timeoutMs: 7_000 }), env());
    await expect(refused.ready).rejects.toThrow();
    const { code, stderr } = await refused.exited;
    expect(code).toBe(1);
    expect(stderr).toContain(
      'capture-api failed to start: capture.yaml: events.delivery.timeoutMs: must be at most 3000 ms: events.delivery.leaseSeconds less 2000 ms',
    );
  });

  test('no two attempts of one event at once across replicas, and each attempt the receiver saw recorded once', async () => {
    const delivery = { intervalMs: 100, leaseSeconds: LEASE_SECONDS, timeoutMs: 2_000, initialBackoffSeconds: 0.1, maxBackoffSeconds: 0.3 };
    // One delivery in flight at a time across the replicas: the other one is idle, polling, when a lease
    // would run out, and the delivery it would take is the one in flight (the oldest due).
    const path = config(delivery);
    services.push(...(await Promise.all([startProcess(path, env()), startProcess(path, env())])));
    const eventIds: string[] = [];
    for (const [i, replica] of services.entries()) {
      const created = await capture(replica.url, { account: 'fake-us', authorisationId: `slow-${Date.now()}-${i}`, amount: usd(100 + i) });
      expect(created.status).toBe(201);
      const events = await call<EventPage>(replica.url, 'GET', `/v1/events?captureId=${created.body.id}`);
      eventIds.push(defined(events.body.data[0], 'the capture event').id);
    }
    // Several attempts per event, each cut off by its 2 s timeout, taken by either replica.
    await new Promise((done) => setTimeout(done, 14_000));
    // A shutdown lets the attempts in flight end and record (their timeout is within the deadline).
    await Promise.all(services.splice(0).map((s) => s.close()));

    const seen = await receiver.concurrency();
    const recorded = await attemptsRecorded(database, eventIds);
    for (const id of eventIds) {
      expect({ id, most: seen[id]?.most }).toEqual({ id, most: 1 });
      const requests = seen[id]?.requests ?? 0;
      expect(requests).toBeGreaterThanOrEqual(2);
      expect({ id, recorded: recorded[id] }).toEqual({ id, recorded: requests });
    }
  }, 60_000);
});

/** Attempts recorded per event, read from the database after the services stopped. */
async function attemptsRecorded(database: { url?: string; schema?: string }, eventIds: string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: database.url, options: `-c search_path=${database.schema}` });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string; n: number }>(
      'SELECT event_id, count(*)::int AS n FROM capture_event_attempts WHERE event_id = ANY($1) GROUP BY event_id',
      [eventIds],
    );
    return Object.fromEntries(rows.map((r) => [r.event_id, r.n]));
  } finally {
    await client.end();
  }
}
