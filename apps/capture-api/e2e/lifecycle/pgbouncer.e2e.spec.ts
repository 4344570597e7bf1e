import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import {
  capture,
  defined,
  FAKE_PLUGIN,
  type FakeSandbox,
  FIXTURES,
  getCapture,
  getHistory,
  isCapture,
  postgresUrl,
  type RunningPgBouncer,
  type ServiceProcess,
  SHOP_KEY,
  spawnService,
  startFakeSandbox,
  startPgBouncer,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody, Capture } from '@capture-gateway/client';

// PgBouncer hands each transaction to any of its few server connections: nothing a replica sets on
// a connection, and no named statement, survives from one transaction to the next.
const SERVER_CONNECTIONS = 4;
const STATEMENT_TIMEOUT_MS = 30_000;

// Two replicas (each pools up to 10 connections) share one database through Debian's PgBouncer 1.18
// in transaction mode, with deploy/pgbouncer/pgbouncer.ini's settings.
describe('two replicas behind PgBouncer in transaction pooling', () => {
  let admin: pg.Client;
  let database: string;
  let bouncer: RunningPgBouncer;
  let sandbox: FakeSandbox;
  let configPath: string;
  let replicas: ServiceProcess[] = [];
  const replica = (i: number) => defined(replicas[i], `replica ${i}`);
  let n = 0;

  beforeAll(async () => {
    const upstream = await postgresUrl();
    admin = new pg.Client(upstream);
    await admin.connect();
    // A database of its own: what a role or database sets is all a pooled connection gets.
    database = `capture_pgbouncer_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.query(`ALTER DATABASE "${database}" SET statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    bouncer = await startPgBouncer(upstream, database, SERVER_CONNECTIONS);
    sandbox = await startFakeSandbox();
    configPath = writeConfig(pooledConfig(bouncer.url, true));
    // Started together: both run the migrations, one at a time under the advisory lock.
    replicas = await Promise.all([startProcess(configPath, env()), startProcess(configPath, env())]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await sandbox?.close();
    await bouncer?.close();
    await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin?.end();
  });

  const settings = { baseUrl: { env: 'FAKE_BASE_URL' }, apiKey: { env: 'FAKE_API_KEY' }, merchantId: 'm_1' };
  const pooledConfig = (url: string, transactionPooling: boolean) => ({
    database: { url, transactionPooling, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
    plugins: [{ module: FAKE_PLUGIN }, { module: join(FIXTURES, 'checking.plugin.ts') }],
    accounts: [
      { id: 'fake-us', plugin: 'fake', timeoutMs: 2_000, settings },
      { id: 'chk-us', plugin: 'fake-checking', timeoutMs: 500, pendingCheckAfterSeconds: 1, settings },
    ],
    clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['fake-us', 'chk-us'] }],
    reconciler: { intervalMs: 200, leaseSeconds: 5, backoffSeconds: [1] },
  });
  const env = () => ({ FAKE_BASE_URL: sandbox.baseUrl, FAKE_API_KEY: sandbox.apiKey, SHOP_API_KEY: SHOP_KEY });
  const auth = (prefix: string) => `${prefix}-${Date.now()}-${n++}`;
  const read = async (url: string, id: string) => (await getCapture(url, id)).body;

  // The most server connections PostgreSQL holds for the database while `work` runs.
  async function peakServerConnections<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
    let peak = 0;
    let done = false;
    const sampling = (async () => {
      while (!done) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
          [database],
        );
        peak = Math.max(peak, rows[0]?.n ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      return { result: await work(), peak };
    } finally {
      done = true;
      await sampling;
    }
  }

  test('captures on either replica succeed and read back the same on the other', async () => {
    const created = [];
    for (let i = 0; i < 6; i++) {
      const reply = await capture(replica(i % 2).url, { account: 'fake-us', authorisationId: auth('both'), amount: usd(100 + i) });
      expect(reply).toMatchObject({ status: 201, body: { status: 'succeeded', capturedAmount: usd(100 + i) } });
      created.push({ on: i % 2, body: reply.body });
    }
    for (const { on, body } of created) expect(await read(replica(1 - on).url, body.id)).toEqual(body);
  });

  test('one key sent to both replicas at once: one provider call, the same answer replayed, within the 4 server connections', async () => {
    const authorisationId = `slow-${auth('key')}`;
    const body = { account: 'fake-us', authorisationId, amount: usd(1234) };
    const key = `key-${authorisationId}`;
    const { result: replies, peak } = await peakServerConnections(() =>
      Promise.all(Array.from({ length: 40 }, (_, i) => capture<Capture | ApiErrorBody>(replica(i % 2).url, body, key))),
    );
    const created = replies.filter((r) => r.status === 201).map((r) => r.body);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((r) => r.status === 201 || (r.status === 409 && r.body.error?.code === 'idempotency_request_in_progress'))).toBe(
      true,
    );
    expect(new Set(created.filter(isCapture).map((c) => c.id)).size).toBe(1);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
    const replayed = await Promise.all(replicas.map((replica) => capture(replica.url, body, key)));
    const answer = created[0];
    expect(replayed.map((r) => [r.status, r.body])).toEqual([
      [201, answer],
      [201, answer],
    ]);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
    // Twenty client connections between the replicas; PostgreSQL saw no more than the pool's four.
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(SERVER_CONNECTIONS);
    const pool = defined((await bouncer.show('POOLS'))[0], 'a PgBouncer pool');
    expect(Number(pool['cl_active']) + Number(pool['cl_waiting'])).toBeGreaterThan(SERVER_CONNECTIONS);
  });

  test('the reconciler settles a capture in doubt through the pooler, one check at a time, each recorded once', async () => {
    const authorisationId = `timeout-${auth('doubt')}`;
    const created = await capture(replica(0).url, { account: 'chk-us', authorisationId, amount: usd(1200) });
    expect(created).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'provider_timeout' } } });
    const id = created.body.id;
    const until = Date.now() + 20_000;
    while ((await read(replica(1).url, id)).status !== 'succeeded') {
      if (Date.now() > until) throw new Error(`capture ${id} was not settled`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const history = (await getHistory(replica(1).url, id)).body.data;
    const steps = history.map((h) => (h.kind === 'check' ? `check#${h.attempt}:${h.answer}` : `${h.to}:${h.source}`));
    // On a busy machine a first check can reach the sandbox before the timed-out capture is done
    // there (cannot_tell); a later one finds it. Either way: checks numbered in order, never two at
    // once across the replicas, and every check the sandbox answered is in the history once.
    const checks = steps.slice(1, -1);
    expect([steps[0], steps.at(-1)]).toEqual(['unknown:api', 'succeeded:reconciler']);
    expect(checks).toEqual(checks.map((_, i) => `check#${i + 1}:${i === checks.length - 1 ? 'found' : 'cannot_tell'}`));
    expect(sandbox.checksOf(id)).toEqual({ total: checks.length, maxConcurrent: 1 });
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
  });

  test('every statement went through PgBouncer', async () => {
    const stats = defined((await bouncer.show('STATS'))[0], "PgBouncer's stats");
    expect(Number(stats['total_xact_count'])).toBeGreaterThan(50);
  });

  test('a replica without database.transactionPooling stops at start-up, naming the switch', async () => {
    const replica = spawnService(writeConfig(pooledConfig(bouncer.url, false)), env());
    const { code, stderr } = await replica.exited;
    expect(code).toBe(1);
    expect(stderr).toContain(
      'capture-api failed to start: database.transactionPooling: the database refused a connection setting ' +
        '(unsupported startup parameter: statement_timeout): behind PgBouncer or another pooler, set database.transactionPooling: true',
    );
  });
});
