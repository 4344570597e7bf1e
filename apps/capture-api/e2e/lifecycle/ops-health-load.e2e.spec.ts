import {
  call,
  defined,
  embeddedBackend,
  fakeConfig,
  fakeEnv,
  type FakeSandbox,
  type OpsHealth,
  plantCaptures,
  type ServiceProcess,
  startFakeSandbox,
  startProcess,
  writeConfig,
} from '@capture-gateway/e2e-support';

const OPS_KEY = 'ops_key_load_0123456789abcdef';
const CAPTURES = 200_000;

/** Milliseconds from `start`, to a tenth. */
const since = (start: number) => Math.round((performance.now() - start) * 10) / 10;

// Issue 23, item 4: provider health on the embedded store used to load the window's rows and sort
// them on the event loop (5.7 s a call with 600k captures; four at once stalled /health/live for
// 19.5 s). Now the database counts them a minute of ids at a time, yielding between minutes.
describe('provider health over 200,000 captures on the embedded store', () => {
  let sandbox: FakeSandbox;
  let destroy: () => Promise<void>;
  let service: ServiceProcess | undefined;
  let configPath: string;
  let dataDir: string;

  beforeAll(async () => {
    sandbox = await startFakeSandbox();
    const db = await embeddedBackend.create();
    destroy = db.destroy;
    dataDir = db.database.dataDir;
    const base = fakeConfig(db.database);
    const ops = { id: 'ops', keys: [{ key: { env: 'OPS_KEY' }, scopes: ['ops:read'] }], accounts: '*' };
    configPath = writeConfig({ ...base, clients: [...base.clients, ops] });
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  /** Sequential /health/live probes, each timed, until `done` settles (at least `minimum` of them). */
  async function probeLive(url: string, done: Promise<unknown>, minimum = 0): Promise<number[]> {
    let finished = false;
    void done.finally(() => (finished = true));
    const times: number[] = [];
    while (!finished || times.length < minimum) {
      const start = performance.now();
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      times.push(since(start));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return times;
  }

  async function health(url: string): Promise<{ ms: number; total: number }> {
    const start = performance.now();
    const res = await call<OpsHealth>(url, 'GET', '/v1/ops/health?window=1h', { key: OPS_KEY });
    expect(res.status).toBe(200);
    const account = defined(
      res.body.accounts.find((a) => a.account === 'fake-us'),
      'the health of fake-us',
    );
    return { ms: since(start), total: account.total };
  }

  /** One measurement: a call alone, idle probes, then two calls at once with probes beside them. */
  async function measure(url: string) {
    const alone = await health(url);
    const idle = await probeLive(url, Promise.resolve(), 40);
    const calls = Promise.all([health(url), health(url)]);
    const loaded = await probeLive(url, calls);
    const answers = await calls;
    return {
      aloneMs: alone.ms,
      answers,
      idleMaxMs: Math.max(...idle),
      loadedMaxMs: Math.max(...loaded),
      loadedProbes: loaded.length,
    };
  }
  type Measurement = Awaited<ReturnType<typeof measure>>;

  /** The bounds, each a ratio within one measurement where the machine's speed could decide it. */
  function failures(m: Measurement): string[] {
    const found: string[] = [];
    for (const answer of m.answers) {
      if (answer.ms >= Math.max(1_000, 4 * m.aloneMs)) found.push(`an answer took ${answer.ms} ms`);
    }
    if (m.loadedProbes <= 3) found.push(`only ${m.loadedProbes} probes ran beside the two calls`);
    // A loop that did not yield would hold /health/live for a whole call's work (the two calls then run
    // one after the other: the shorter answer is about one call's work); yielding between minutes holds
    // it for about a 58th of one. Files running beside this one deschedule both processes (a probe
    // waited 88 ms once while one call alone took 180 ms and the two 510 ms), so the bound is 50 ms or
    // a quarter of the shorter answer, whichever is larger.
    const shorterAnswerMs = Math.min(...m.answers.map((answer) => answer.ms));
    const stall = Math.round((m.loadedMaxMs - m.idleMaxMs) * 10) / 10;
    if (stall >= Math.max(50, shorterAnswerMs / 4)) found.push(`/health/live waited ${stall} ms more`);
    return found;
  }

  test('two calls at once answer within a second each (or 4x one call alone), and /health/live stays within 50 ms of its idle time (or 1/4 of an answer)', async () => {
    const env = { ...fakeEnv(sandbox), OPS_KEY };
    // Started once to create the schema, stopped (the folder is locked while it runs), then filled
    // in one statement, as no API could in time, and started again.
    await (await startProcess(configPath, env)).close();
    const now = Date.now();
    const answered = plantCaptures(dataDir, 'fake-us', 'fake', CAPTURES, now - 1_000, 58 * 60_000);
    service = await startProcess(configPath, env);
    const url = service.url;

    await call(url, 'GET', '/v1/ops/health?window=15m', { key: OPS_KEY }); // the code path warmed, as for a page open
    // npm test runs this beside the other e2e half and the other projects' tasks, so a burst of their
    // work can land inside the two calls and not inside the call alone (CI saw 235 ms alone, then 970
    // and 1,022 ms at once). Noise only ever adds time, so the best of three measurements is judged:
    // code that does not yield fails all three, as its stall is the work itself.
    const measurements: Measurement[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const m = await measure(url);
      measurements.push(m);
      process.stdout.write(`ops health under load: ${JSON.stringify(m)}\n`);
      for (const answer of m.answers) {
        expect(answer.total).toBe(answered); // every capture counted, less those refused before sending
      }
      if (failures(m).length === 0) break;
    }
    expect(measurements.map(failures)).toContainEqual([]); // on failure, every measurement's reasons
  }, 120_000);
});
