// `npm run bench` (full: 60 s saturation runs, 250 req/s steady, a 5-minute soak per store) or
// `npm run bench -- --quick` (a few seconds each, for CI).
// Five scenarios under the same load generator in one run: the sandbox directly (the ceiling), a bare
// proxy (the floor any gateway pays), and the real service on the embedded store, on PostgreSQL, and
// on PostgreSQL with its capture events subscribed (delivered to a local sink).
import { createServer as createHttpServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BENCH_API_KEY, type Gateway, type SandboxInfo, sampleHeap, startGateway, storedCaptures, writeBenchConfig } from './gateway';
import { type LoadResult, type Target, saturate } from './load';
import { BackendCpu, withApplicationName } from './postgres-backends';
import { soak } from './soak';
import { steadyRate } from './steady-rate';
import { targetLines } from './targets';
import { cheapestGatewayCpu, measureTracingOverhead, tracingOverheadLine } from './tracing-overhead';
import { WORKSPACE, ask, cpuMsOf, forkReady, memoryOf, sampleMemory } from './processes';
import { type ScenarioFigures, growthPct, renderTable } from './report';

const quick = process.argv.includes('--quick');
let firstStartMs: number | undefined;
// Quick mode is a harness check inside `npm test`, not a measurement: one second per phase still runs
// and checks every phase (saturation, steady rate, correctness counts) on a machine busy with other tests.
const SATURATION_S = quick ? 1 : 60;
const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const FIXED_RATE_S = option('steady') ? Number(option('steady')) : quick ? 1 : 20;
// The steady rate; quick mode uses half the slowest scenario's throughput, which any machine sustains.
const STEADY_RATE = option('rate') ? Number(option('rate')) : quick ? undefined : 250;
// Heap over a steady run, per store: 5 minutes in full mode (`--soak=0` leaves it out), 5 s in quick mode.
const SOAK_S = option('soak') ? Number(option('soak')) : quick ? 5 : 300;
// BENCH_HEAP_SNAPSHOTS=<dir>: heap snapshots at the soak's second fifth and its end, compared by constructor.
const SNAPSHOT_DIR = process.env['BENCH_HEAP_SNAPSHOTS'];
// BENCH_PAUSES=1: GC pauses, event-loop delay and pool waits of each gateway over the steady-rate phase (service-probe.cjs).
const PAUSES = process.env['BENCH_PAUSES'] === '1';
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// `--only=embedded` or `--only=postgres`: one gateway, for profiling.
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

// Every ratio is against the cheapest plain Node proxy: undici's request on a kept-alive pool.
const FLOOR = 'bare proxy';

const captureBody = (id: string) => JSON.stringify({ account: 'po-bench', authorisationId: id, amount: { amount: 1000, currency: 'JPY' } });

type Served = { pid: number; gateway?: Gateway; backends?: BackendCpu };

function targets(
  sandbox: SandboxInfo,
  proxies: { undici: Served & { url: string }; fetch: Served & { url: string } },
  gateways: Array<[string, Gateway, BackendCpu?]>,
): Array<[string, Target, Served?]> {
  const { authorizationKey, apiKey, merchantId } = sandbox.credentials;
  const direct: Target = {
    name: 'direct (sandbox)',
    url: `${sandbox.baseUrl}/api/v1/server-to-server-interface/capture`,
    headers: () => ({ authorization: `Basic ${authorizationKey}`, 'x-api-key': apiKey }),
    body: (id) => JSON.stringify({ transactionId: id, amount: 1000, merchant_id: merchantId }),
  };
  const proxy = (name: string, url: string): Target => ({ name, url: `${url}/capture`, headers: () => ({}), body: captureBody });
  const viaGateway = (name: string): Target => ({
    name,
    url: `${gateways.find(([n]) => n === name)?.[1].baseUrl}/v1/captures`,
    headers: (id) => ({ authorization: `Bearer ${BENCH_API_KEY}`, 'idempotency-key': id }),
    body: captureBody,
  });
  return [
    [direct.name, direct],
    [FLOOR, proxy(FLOOR, proxies.undici.url), proxies.undici],
    ['bare proxy, fetch', proxy('bare proxy, fetch', proxies.fetch.url), proxies.fetch],
    ...gateways.map(([name, gateway, backends]): [string, Target, Served] => [
      name,
      viaGateway(name),
      { pid: gateway.child.pid ?? 0, gateway, ...(backends ? { backends } : {}) },
    ]),
  ];
}

async function withPostgresSchema<T>(use: (schema: string) => Promise<T>, suffix = ''): Promise<T> {
  const schema = `bench_${Date.now().toString(36)}${suffix}`;
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    return await use(schema);
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'capture-bench-'));
  const sandboxProc = await forkReady<SandboxInfo & { type: string }>('sandbox.process.ts');
  const sandbox = sandboxProc.ready;
  const { credentials } = sandbox;
  const proxyArgs = [sandbox.baseUrl, credentials.authorizationKey, credentials.apiKey, credentials.merchantId];
  const proxy = await forkReady<{ baseUrl: string }>('bare-proxy.process.ts', ['undici', ...proxyArgs]);
  const fetchProxy = await forkReady<{ baseUrl: string }>('bare-proxy.process.ts', ['fetch', ...proxyArgs]);
  const proxies = {
    undici: { url: proxy.ready.baseUrl, pid: proxy.child.pid ?? 0 },
    fetch: { url: fetchProxy.ready.baseUrl, pid: fetchProxy.child.pid ?? 0 },
  };
  const sandboxCount = async () => (await ask<{ count: number }>(sandboxProc.child, 'count')).count;
  try {
    await withPostgresSchema(async (schema) => {
      const gateways: Array<[string, Gateway, BackendCpu?]> = [];
      // Each PostgreSQL gateway's connections carry a name: its own backends' CPU is told apart from the server's other clients.
      const onPostgres = async (name: string, pgSchema: string, eventsUrl?: string): Promise<[string, Gateway, BackendCpu]> => {
        const applicationName = `capture-bench-${pgSchema}`;
        const url = withApplicationName(DATABASE_URL, applicationName);
        const gateway = await startGateway(writeBenchConfig(work, sandbox, { url, schema: pgSchema }, eventsUrl));
        return [name, gateway, await BackendCpu.connect(DATABASE_URL, applicationName)];
      };
      if (ONLY !== 'postgres') {
        // The first start creates the database file and its schema; an operator's restart reopens it.
        const config = writeBenchConfig(work, sandbox, { dataDir: join(work, 'embedded-data') });
        const first = await startGateway(config);
        await first.stop();
        const restarted = await startGateway(config);
        console.error(
          `gateway, embedded store: first start ${first.startupMs.toFixed(0)} ms (creates the database), restart ${restarted.startupMs.toFixed(0)} ms`,
        );
        firstStartMs = first.startupMs;
        gateways.push(['gateway, embedded store', restarted]);
      }
      if (ONLY !== 'embedded') gateways.push(await onPostgres('gateway, PostgreSQL', schema));
      // The same gateway with a subscription to its capture events: every capture also writes its
      // event and a delivery in the same statement, and the delivery loop sends it to a local sink.
      const sink = await startEventSink();
      await withPostgresSchema(async (eventsSchema) => {
        if (ONLY !== 'embedded') gateways.push(await onPostgres('gateway, PostgreSQL, events subscribed', eventsSchema, sink.url));
        try {
          const figures = await measure(targets(sandbox, proxies, gateways), sandboxCount);
          report(figures.scenarios, figures.rate, firstStartMs, sink.received());
          console.log(tracingOverheadLine(await measureTracingOverhead(), cheapestGatewayCpu(figures.scenarios)));
        } finally {
          await Promise.all(gateways.map(([, gateway, backends]) => Promise.all([gateway.stop(), backends?.close()])));
          await sink.close();
        }
      }, '_events');
    });
  } finally {
    proxy.child.disconnect();
    fetchProxy.child.disconnect();
    sandboxProc.child.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

async function measure(list: Array<[string, Target, Served?]>, sandboxCount: () => Promise<number>) {
  const scenarios: ScenarioFigures[] = [];
  const received = new Map<string, number>();
  for (const [name, target, served] of list) {
    const gateway = served?.gateway;
    const before = await sandboxCount();
    const stopSampling = gateway ? sampleMemory(gateway.child.pid ?? 0) : undefined;
    const stopHeap = gateway ? sampleHeap(gateway.baseUrl) : undefined;
    // CPU per request is compared at saturation, where it is steady (at light load it reads far higher).
    const cpuBefore = served ? cpuMsOf(served.pid) : 0;
    const dbBefore = await served?.backends?.snapshot();
    const saturation = await saturate(target, SATURATION_S);
    const done = Math.max(1, saturation.ok2xx + saturation.non2xx);
    const cpuMsPerRequest = served ? (cpuMsOf(served.pid) - cpuBefore) / done : undefined;
    const dbAfter = await served?.backends?.snapshot();
    const dbCpuMsPerRequest = dbBefore && dbAfter ? BackendCpu.between(dbBefore, dbAfter) / done : undefined;
    const samples = stopSampling?.() ?? [];
    const heap = (await stopHeap?.()) ?? [];
    received.set(name, (await sandboxCount()) - before);
    scenarios.push({
      name,
      saturation,
      startupMs: gateway?.startupMs,
      rssGrowthPct: gateway ? growthPct(samples) : undefined,
      heapGrowthPct: gateway ? growthPct(heap) : undefined,
      ...(cpuMsPerRequest !== undefined ? { cpuMsPerRequest } : {}),
      ...(dbCpuMsPerRequest !== undefined ? { dbCpuMsPerRequest } : {}),
    });
    console.error(`${name}: ${saturation.perSecond.toFixed(0)} req/s at saturation`);
  }
  const rate = STEADY_RATE ?? Math.max(20, Math.floor(Math.min(...scenarios.map((s) => s.saturation.perSecond)) * 0.5));
  for (const [i, [name, target, served]] of list.entries()) {
    const gateway = served?.gateway;
    const scenario = scenarios[i] as ScenarioFigures;
    const before = await sandboxCount();
    if (PAUSES) gateway?.child.kill('SIGHUP');
    scenario.fixedRate = await steadyRate(target, FIXED_RATE_S, rate);
    if (PAUSES) gateway?.child.kill('SIGHUP');
    received.set(name, (received.get(name) ?? 0) + (await sandboxCount()) - before);
    if (gateway) scenario.peakRssMb = memoryOf(gateway.child.pid ?? 0).peakMb;
  }
  // The soak, one store at a time (the subscribed gateway is the PostgreSQL one plus deliveries).
  for (const [i, [name, target, served]] of list.entries()) {
    const gateway = served?.gateway;
    if (!gateway || SOAK_S <= 0 || name.includes('events subscribed')) continue;
    const before = await sandboxCount();
    const scenario = scenarios[i] as ScenarioFigures;
    scenario.soak = await soak(target, gateway, SOAK_S, rate, SNAPSHOT_DIR);
    received.set(name, (received.get(name) ?? 0) + (await sandboxCount()) - before);
    console.error(`${name}: soak of ${SOAK_S} s done`);
  }
  for (const [i, [name, , served]] of list.entries()) {
    const scenario = scenarios[i] as ScenarioFigures;
    if (served?.gateway) scenario.correctness = await correctness(served.gateway, scenario, received.get(name) ?? 0);
  }
  return { scenarios, rate };
}

async function correctness(gateway: Gateway, scenario: ScenarioFigures, sandboxReceived: number) {
  const runs: LoadResult[] = [
    scenario.saturation,
    ...(scenario.fixedRate ? [scenario.fixedRate] : []),
    ...(scenario.soak ? [scenario.soak.run] : []),
  ];
  const answered2xx = runs.reduce((sum, r) => sum + r.ok2xx, 0);
  const status5xx = runs.reduce((sum, r) => sum + r.status5xx, 0);
  const stored = await storedCaptures(gateway.baseUrl);
  return {
    stored,
    answered2xx,
    sandboxReceived,
    status5xx,
    ok: stored === answered2xx && answered2xx === sandboxReceived && status5xx === 0,
  };
}

/** A receiver of the gateway's events that answers 204 and counts them. */
async function startEventSink(): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/events`,
    received: () => received,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

function report(scenarios: ScenarioFigures[], rate: number, embeddedFirstStartMs?: number, eventsDelivered?: number): void {
  const byName = (name: string) => scenarios.find((s) => s.name === name);
  const proxy = byName(FLOOR) as ScenarioFigures;
  const ratios = scenarios
    .filter((s) => s.name.startsWith('gateway'))
    .map((s) => ({
      scenario: s.name,
      throughputRatio: s.saturation.perSecond / proxy.saturation.perSecond,
      addedP99Ms: (s.fixedRate?.p99 ?? 0) - (proxy.fixedRate?.p99 ?? 0),
    }));
  console.log(renderTable(scenarios, rate));
  console.log(
    "start ms: to /health/ready with both plugins loaded; the embedded store's is a restart on its data folder" +
      (embeddedFirstStartMs ? ` (its first start, creating the database: ${embeddedFirstStartMs.toFixed(0)} ms)` : ''),
  );
  console.log('');
  for (const r of ratios) {
    console.log(
      `${r.scenario}: throughput ${(r.throughputRatio * 100).toFixed(1)} % of the bare proxy; p99 added ${r.addedP99Ms.toFixed(1)} ms`,
    );
  }
  for (const s of scenarios) {
    if (!s.soak) continue;
    const { seconds, rate: soakRate, heapSecondMb, heapLastMb, heapGrowthPct, usedSecondMb, usedLastMb, run } = s.soak;
    console.log(
      `${s.name}: soak ${seconds} s at ${soakRate} req/s: live heap (after a full GC) ${heapSecondMb.toFixed(1)} MB in the second fifth, ` +
        `${heapLastMb.toFixed(1)} MB in the last (${heapGrowthPct >= 0 ? '+' : ''}${heapGrowthPct.toFixed(1)} %); ` +
        `used heap, garbage included, ${usedSecondMb.toFixed(1)} -> ${usedLastMb.toFixed(1)} MB; p99 ${run.p99.toFixed(1)} ms`,
    );
  }
  console.log('');
  for (const line of targetLines(byName, proxy, embeddedFirstStartMs, { harnessCheck: quick })) console.log(line);
  const plain = byName('gateway, PostgreSQL');
  const subscribed = byName('gateway, PostgreSQL, events subscribed');
  if (plain && subscribed) {
    console.log(
      `events subscribed, against the same gateway without: throughput ${((subscribed.saturation.perSecond / plain.saturation.perSecond) * 100).toFixed(1)} %; ` +
        `p99 ${((subscribed.fixedRate?.p99 ?? 0) - (plain.fixedRate?.p99 ?? 0)).toFixed(1)} ms more; ${eventsDelivered ?? 0} events delivered to the sink`,
    );
  }
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, quick };
  mkdirSync(join(WORKSPACE, 'tmp'), { recursive: true });
  const file = join(WORKSPACE, 'tmp', 'bench-results.json');
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, rate, embeddedFirstStartMs, scenarios, ratios }, null, 2));
  console.log(`\nfigures written to ${file}`);
  const broken = scenarios.filter((s) => s.correctness && !s.correctness.ok);
  if (broken.length > 0) {
    console.error(`correctness failed: ${broken.map((s) => s.name).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
