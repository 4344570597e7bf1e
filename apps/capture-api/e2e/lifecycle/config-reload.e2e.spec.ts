import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import {
  call,
  capture,
  embeddedBackend,
  type EventReceiver,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  freePort,
  OTHER_KEY,
  type ServiceProcess,
  SHOP_KEY,
  startEventReceiver,
  startFakeSandbox,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

const NEW_SHOP_KEY = 'shop_key_rotated_0123456789';
const SHOP_SECRET = 'whsec_reload_0123456789abcdef';

// The service process runs; its config file is rewritten and SIGHUP sent, as an operator would.
describe('config reload on SIGHUP', () => {
  let sandbox: FakeSandbox;
  let receiver: EventReceiver;
  let db: Awaited<ReturnType<typeof embeddedBackend.create>>;
  let service: ServiceProcess;
  let path: string;
  let secretsFile: string;
  let stdout = '';
  let base: ReturnType<typeof fakeConfig>;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    receiver = await startEventReceiver(await freePort());
    db = await embeddedBackend.create();
    base = {
      ...fakeConfig(db.database, { timeoutMs: 5_000 }),
      events: { delivery: { enabled: true, intervalMs: 100, timeoutMs: 2_000 } },
      auth: { maxFailures: 5, windowSeconds: 600 },
    } as ReturnType<typeof fakeConfig>;
    path = writeConfig(base);
    // The new key and the signing secret reach the running process only through this file.
    secretsFile = join(dirname(path), 'secrets.env');
    writeFileSync(secretsFile, '# filled in before the reload\n');
    service = await startProcess(path, { ...fakeEnv(sandbox), CAPTURE_SECRETS_FILE: secretsFile });
    service.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  });

  afterAll(async () => {
    await service?.close();
    await receiver?.stop();
    await sandbox?.close();
    await db?.destroy();
  });

  // The first reload's clients: shop's key rotated and a subscription added, other's key read-only.
  const reloadedClients = () => [
    {
      id: 'shop',
      keys: [{ id: 'rotated', key: { env: 'NEW_SHOP_API_KEY' } }],
      accounts: ['fake-us'],
      subscriptions: [{ id: 'orders', url: `${receiver.url}/events`, secrets: [{ env: 'SHOP_SECRET' }] }],
    },
    { id: 'other', keys: [{ id: 'main', key: { env: 'OTHER_API_KEY' }, scopes: ['captures:read'] }], accounts: ['fake-eu'] },
  ];

  /** Sends SIGHUP and waits for the reload's log line; returns it. */
  async function reload(): Promise<{ level: string; message: string; result: string }> {
    const seen = stdout.length;
    service.child.kill('SIGHUP');
    for (let i = 0; i < 100; i++) {
      const line = stdout
        .slice(seen)
        .split('\n')
        .find((l) => l.includes('"message":"config reload'));
      if (line) return JSON.parse(line);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no reload log line; stdout: ${stdout.slice(seen)}`);
  }

  test('new key, removed key, changed scope and new subscription apply; a capture in flight completes', async () => {
    // A capture on the key about to be removed, still waiting on the slow provider (~1 s) during the reload.
    const inFlight = capture(service.url, { account: 'fake-us', authorisationId: `slow-${Date.now()}`, amount: usd(4200) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(secretsFile, `NEW_SHOP_API_KEY=${NEW_SHOP_KEY}\nSHOP_SECRET=${SHOP_SECRET}\n`);
    writeFileSync(path, stringify({ ...base, clients: reloadedClients() }));
    expect(await reload()).toMatchObject({ level: 'info', result: 'applied', message: 'config reload applied' });

    expect(await inFlight).toMatchObject({ status: 201, body: { status: 'succeeded', capturedAmount: usd(4200) } });

    // The removed key is refused, the new one works, and other's key now only reads.
    const removed = await capture(service.url, { account: 'fake-us', authorisationId: `auth-${Date.now()}-a`, amount: usd(100) });
    expect(removed).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    const created = await capture(
      service.url,
      { account: 'fake-us', authorisationId: `auth-${Date.now()}-b`, amount: usd(1500) },
      undefined,
      NEW_SHOP_KEY,
    );
    expect(created).toMatchObject({ status: 201, body: { status: 'succeeded' } });
    const otherCreate = await capture(
      service.url,
      { account: 'fake-eu', authorisationId: `auth-${Date.now()}-c`, amount: usd(100) },
      undefined,
      OTHER_KEY,
    );
    expect(otherCreate).toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    expect((await call(service.url, 'GET', '/v1/captures', { key: OTHER_KEY })).status).toBe(200);

    // The new subscription receives the next event: the capture made with the new key.
    let mine: unknown;
    for (let i = 0; i < 100 && !mine; i++) {
      mine = (await receiver.received()).find((r) => r.body.includes(created.body.id));
      if (!mine) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(mine).toMatchObject({ path: '/events', headers: expect.objectContaining({ 'capture-signature': expect.any(String) }) });

    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('capture_config_reloads_total{result="applied"} 1');
    expect(metrics).toMatch(/capture_config_info\{hash="[0-9a-f]{12}"\} 1/);
    // Neither the new key nor the signing secret reached the log.
    expect(stdout).not.toContain(NEW_SHOP_KEY);
    expect(stdout).not.toContain(SHOP_SECRET);
  });

  test('an invalid file keeps the running config, and the log says what is wrong', async () => {
    writeFileSync(
      path,
      stringify({ ...base, clients: [{ id: 'shop', keys: [{ key: SHOP_KEY, scopes: ['captures:fly'] }], accounts: ['fake-us'] }] }),
    );
    const line = await reload();
    expect(line).toMatchObject({ level: 'error', result: 'invalid' });
    expect(line.message).toMatch(
      /^config reload invalid, running config kept: capture\.yaml: clients\[0\] "shop": keys\[0\]\.scopes\[0\]: /,
    );
    expect(line.message).not.toContain(SHOP_KEY);
    const still = await capture(
      service.url,
      { account: 'fake-us', authorisationId: `auth-${Date.now()}-d`, amount: usd(200) },
      undefined,
      NEW_SHOP_KEY,
    );
    expect(still.status).toBe(201);
    expect((await capture(service.url, { account: 'fake-us', authorisationId: `auth-${Date.now()}-e`, amount: usd(200) })).status).toBe(
      401,
    );
  });

  test('a change only a restart can apply is refused, naming it', async () => {
    writeFileSync(path, stringify({ ...base, idempotency: { leaseSeconds: 45, required: true } }));
    const line = await reload();
    expect(line).toMatchObject({ level: 'error', result: 'refused' });
    expect(line.message).toContain('idempotency changed; only clients reload, the rest needs a restart');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('capture_config_reloads_total{result="refused"} 1');
    expect(metrics).toContain('capture_config_reloads_total{result="invalid"} 1');
  });

  test('a reload does not reset the failed-auth limit: a source locked out stays locked out', async () => {
    const wrong = () => call(service.url, 'GET', '/v1/captures', { key: 'wrong_key_0123456789abcdef' });
    let status = 0;
    for (let i = 0; i < 6 && status !== 429; i++) status = (await wrong()).status;
    expect(status).toBe(429);
    writeFileSync(path, stringify({ ...base, clients: [...reloadedClients(), { id: 'extra', apiKey: SHOP_KEY, accounts: ['fake-eu'] }] }));
    expect(await reload()).toMatchObject({ result: 'applied' });
    expect((await wrong()).status).toBe(429);
    // A good key from the same source still passes, the new client's included.
    expect((await call(service.url, 'GET', '/v1/captures', { key: SHOP_KEY })).status).toBe(200);
  });
});
