import {
  call,
  capture,
  defined,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  type OwnPostgres,
  type ServiceProcess,
  startFakeSandbox,
  startOwnPostgres,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody } from '@capture-gateway/client';

// A PostgreSQL the test starts and stops itself, under a real service process.
describe('when the database goes away', () => {
  let pg: OwnPostgres;
  let sandbox: FakeSandbox;
  let service: ServiceProcess;
  let n = 0;
  const auth = (prefix: string) => `${prefix}-${Date.now()}-${n++}`;

  beforeAll(async () => {
    pg = await startOwnPostgres();
    sandbox = await startFakeSandbox();
    service = await startProcess(writeConfig(fakeConfig({ url: pg.url })), fakeEnv(sandbox));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    pg?.destroy();
  });

  const ready = async () => (await fetch(`${service.url}/health/ready`)).status;
  async function until(check: () => Promise<boolean>, withinMs = 20_000) {
    const end = Date.now() + withinMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('not reached in time');
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  test('captures answer 503 service_unavailable quickly, readiness goes red, and both come back by themselves', async () => {
    expect((await capture(service.url, { account: 'fake-us', authorisationId: auth('before'), amount: usd(100) })).status).toBe(201);
    pg.stop();
    const started = Date.now();
    const authorisationId = auth('down');
    const refused = await capture(service.url, { account: 'fake-us', authorisationId, amount: usd(100) });
    expect(Date.now() - started).toBeLessThan(8_000); // never a hang past the provider's timeout
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'service_unavailable' }, requestId: refused.headers.get('x-request-id') });
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(sandbox.capturesOf(authorisationId)).toBe(0); // nothing was written, so nothing was sent
    expect(await ready()).toBe(503);
    expect((await call(service.url, 'GET', '/v1/captures')).status).toBe(503);

    pg.start();
    await until(async () => (await ready()) === 200);
    expect((await capture(service.url, { account: 'fake-us', authorisationId: auth('after'), amount: usd(100) })).status).toBe(201);
  });

  test("a provider's answer that arrives while the database is down is written once it is back; the key replays it", async () => {
    const authorisationId = auth('slow'); // the sandbox answers after 1 s
    const key = `key-${authorisationId}`;
    const pending = capture<ApiErrorBody>(service.url, { account: 'fake-us', authorisationId, amount: usd(2500) }, key);
    await until(async () => sandbox.capturesOf(authorisationId) === 1, 5_000);
    pg.stop(); // the provider is capturing now; its answer comes after the database went away
    const answered = await pending;
    expect(answered.status).toBe(503);
    expect(answered.body.error.code).toBe('service_unavailable');

    pg.start();
    await until(async () => (await ready()) === 200);
    // The kept answer is written: the same key replays the capture as the provider settled it.
    let replay = await capture(service.url, { account: 'fake-us', authorisationId, amount: usd(2500) }, key);
    await until(async () => {
      replay = await capture(service.url, { account: 'fake-us', authorisationId, amount: usd(2500) }, key);
      return replay.status === 201;
    });
    expect(replay.body).toMatchObject({ status: 'succeeded', capturedAmount: usd(2500), authorisationId });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(sandbox.capturesOf(authorisationId)).toBe(1); // never sent twice
  });

  test('every error line names its request', async () => {
    pg.stop();
    const refused = await capture(service.url, { account: 'fake-us', authorisationId: auth('logged'), amount: usd(100) });
    pg.start();
    await until(async () => (await ready()) === 200);
    const requestId = defined(refused.headers.get('x-request-id'), 'an x-request-id header');
    await service.close();
    const { stdout } = await service.exited;
    const line = stdout.split('\n').find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('database cannot be reached'));
    expect(JSON.parse(defined(line, "a log line of the refused request's database error"))).toMatchObject({
      level: expect.anything(),
      requestId,
    });
    expect(stdout).not.toContain(pg.url);
  });
});
