import { join } from 'node:path';
import {
  capture,
  type FakeSandbox,
  FIXTURES,
  getCapture,
  getHistory,
  postgresBackend,
  type ServiceProcess,
  SHOP_KEY,
  spawnService,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

// Real processes on PostgreSQL, a provider with a status check (fixtures/checking.plugin.ts), and
// a reconciler on a fast schedule: the first check 2.5 s after a capture was written (its timeout
// plus the grace), then every second.
describe('money in doubt comes back to a final state (PostgreSQL)', () => {
  let sandbox: FakeSandbox;
  let destroy: () => Promise<void>;
  let configPath: string;
  const services: ServiceProcess[] = [];
  let n = 0;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await postgresBackend.create();
    destroy = db.destroy;
    const settings = { baseUrl: { env: 'FAKE_BASE_URL' }, apiKey: { env: 'FAKE_API_KEY' }, merchantId: 'm_1' };
    configPath = writeConfig({
      database: db.database,
      plugins: [{ module: join(FIXTURES, 'checking.plugin.ts') }],
      accounts: [{ id: 'chk-us', plugin: 'fake-checking', timeoutMs: 500, pendingCheckAfterSeconds: 1, settings }],
      clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['chk-us'] }],
      reconciler: { intervalMs: 200, leaseSeconds: 5, backoffSeconds: [1] },
    });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    await sandbox?.close();
    await destroy?.();
  });

  const env = () => ({ FAKE_BASE_URL: sandbox.baseUrl, FAKE_API_KEY: sandbox.apiKey, SHOP_API_KEY: SHOP_KEY });
  const start = async () => {
    const service = await startProcess(configPath, env());
    services.push(service);
    return service;
  };
  const auth = (prefix: string) => `${prefix}-${Date.now()}-${n++}`;
  const read = async (url: string, id: string) => (await getCapture(url, id)).body;
  const history = async (url: string, id: string) =>
    (await getHistory(url, id)).body.data.map((h) => (h.kind === 'check' ? `check#${h.attempt}:${h.answer}` : `${h.to}:${h.source}`));
  async function settles(url: string, id: string, to: string, withinMs = 20_000) {
    const until = Date.now() + withinMs;
    for (;;) {
      const record = await read(url, id);
      if (record.status === to) return record;
      if (Date.now() > until) throw new Error(`capture ${id} is still ${record.status}, not ${to}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  test('a provider timeout leaves unknown; the reconciler finds it succeeded through checkCapture, with the attempt in its history', async () => {
    const service = await start();
    const authorisationId = auth('timeout');
    const created = await capture(service.url, { account: 'chk-us', authorisationId, amount: usd(1200) }, `k-${authorisationId}`);
    expect(created).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'provider_timeout' } } });
    const settled = await settles(service.url, created.body.id, 'succeeded');
    expect(settled).toMatchObject({ capturedAmount: usd(1200), providerReferences: { captureId: `fk_${created.body.id}` } });
    expect(await history(service.url, created.body.id)).toEqual(['unknown:api', 'check#1:found', 'succeeded:reconciler']);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
  });

  test('a pending capture whose webhook never comes is checked after its threshold and settled', async () => {
    const service = services[0] ?? (await start());
    const authorisationId = auth('pending');
    const created = await capture(service.url, { account: 'chk-us', authorisationId, amount: usd(300) });
    expect(created.body.status).toBe('pending');
    await settles(service.url, created.body.id, 'succeeded');
    expect((await history(service.url, created.body.id)).slice(-2)).toEqual([
      expect.stringMatching(/^check#\d:found$/),
      'succeeded:reconciler',
    ]);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
  });

  test('a capture the provider never received becomes failed and frees its authorisation', async () => {
    const service = services[0] ?? (await start());
    const authorisationId = auth('lost');
    const created = await capture(service.url, { account: 'chk-us', authorisationId, amount: usd(900) });
    expect(created.body).toMatchObject({ status: 'unknown', error: { code: 'provider_unavailable' } });
    // Once-only: while it is in doubt, the authorisation is taken.
    expect((await capture(service.url, { account: 'chk-us', authorisationId, amount: usd(900) })).body).toMatchObject({
      error: { code: 'already_captured' },
    });
    const failed = await settles(service.url, created.body.id, 'failed');
    expect(failed.error).toMatchObject({ code: 'not_received_by_provider' });
    expect(await history(service.url, created.body.id)).toEqual(['unknown:api', 'check#1:not_received', 'failed:reconciler']);
    const retried = await capture(service.url, { account: 'chk-us', authorisationId, amount: usd(900) });
    expect(retried.status).toBe(202); // accepted again (and lost again: the fake keeps hanging up)
  });

  test('two replicas share a backlog: no capture checked twice at once, every check recorded, none sent twice', async () => {
    const first = services[0] ?? (await start());
    const second = await start();
    const ids: string[] = [];
    const authorisations: string[] = [];
    for (let i = 0; i < 12; i++) {
      const authorisationId = auth('timeout-backlog');
      authorisations.push(authorisationId);
      const created = await capture((i % 2 ? second : first).url, { account: 'chk-us', authorisationId, amount: usd(100 + i) });
      ids.push(created.body.id);
    }
    for (const id of ids) await settles(first.url, id, 'succeeded');
    // A look at the provider is made by one replica at a time, and every look is recorded: a capture
    // is looked at again only after an inconclusive answer. Under load a check can outlast the
    // account's 500 ms timeout (the sandbox answers in 100 ms); that is `cannot_tell` and a check a
    // second later, not two replicas on one capture, so the count of checks is not pinned at one.
    for (const id of ids) {
      const checks = (await history(first.url, id)).filter((h) => h.startsWith('check#'));
      expect({ id, checks, atProvider: sandbox.checksOf(id) }).toEqual({
        id,
        checks: [...checks.slice(0, -1).map((_, i) => `check#${i + 1}:cannot_tell`), `check#${checks.length}:found`],
        atProvider: { total: checks.length, maxConcurrent: 1 },
      });
    }
    for (const a of authorisations) expect(sandbox.capturesOf(a)).toBe(1);
  });

  test('a replica killed mid-check leaves nothing half-done: another finishes the check after the lease', async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
    const doomed = spawnService(configPath, env());
    const url = await doomed.ready;
    const authorisationId = auth('timeout-slowcheck');
    const created = await capture(url, { account: 'chk-us', authorisationId, amount: usd(5000) });
    const id = created.body.id as string;
    // The check at the provider takes 400 ms: kill the replica while it waits for the answer.
    const until = Date.now() + 15_000;
    while (sandbox.checksOf(id).total === 0 && Date.now() < until) await new Promise((done) => setTimeout(done, 50));
    expect(sandbox.checksOf(id).total).toBe(1);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const survivor = await start();
    expect((await read(survivor.url, id)).status).toBe('unknown');
    await settles(survivor.url, id, 'succeeded', 30_000);
    // The killed replica's check left no row: only the survivor's check and change are recorded.
    expect(await history(survivor.url, id)).toEqual(['unknown:api', 'check#1:found', 'succeeded:reconciler']);
    expect(sandbox.checksOf(id).total).toBe(2);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
  });
});
