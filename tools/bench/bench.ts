// `npm run bench` (full: 60 s saturation runs) or `npm run bench -- --quick` (a few seconds each, for CI).
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
import { steadyRate } from './steady-rate';
import { targetLines } from './targets';
import { measureTracingOverhead, tracingOverheadLine } from './tracing-overhead';
import { WORKSPACE, ask, cpuMsOf, forkReady, memoryOf, postgresCpuMs, sampleMemory } from './processes';
import { type ScenarioFigures, growthPct, renderTable } from './report';

const quick = process.argv.includes('--quick');
let firstStartMs: number | undefined;
const SATURATION_S = quick ? 3 : 60;
const FIXED_RATE_S = quick ? 3 : 20;
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// `--only=embedded` or `--only=postgres`: one gateway, for profiling.
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

// Every ratio is against the cheapest plain Node proxy: undici's request on a kept-alive pool.
const FLOOR = 'bare proxy';

const captureBody = (id: string) => JSON.stringify({ account: 'po-bench', authorisationId: id, amount: { amount: 1000, currency: 'JPY' } });

type Served = { pid: number; gateway?: Gateway; onPostgres?: boolean };

function targets(
  sandbox: SandboxInfo,
  proxies: { undici: Served & { url: string }; fetch: Served & { url: string } },
  gateways: Array<[string, Gateway]>,
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
    ...gateways.map(([name, gateway]): [string, Target, Served] => [
      name,
      viaGateway(name),
      { pid: gateway.child.pid ?? 0, gateway, onPostgres: name.includes('PostgreSQL') },
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
      const gateways: Array<[string, Gateway]> = [];
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
      if (ONLY !== 'embedded')
        gateways.push(['gateway, PostgreSQL', await startGateway(writeBenchConfig(work, sandbox, { url: DATABASE_URL, schema }))]);
      // The same gateway with a subscription to its capture events: every capture also writes its
      // event and a delivery in the same statement, and the delivery loop sends it to a local sink.
      const sink = await startEventSink();
      await withPostgresSchema(async (eventsSchema) => {
        if (ONLY !== 'embedded') {
          const config = writeBenchConfig(work, sandbox, { url: DATABASE_URL, schema: eventsSchema }, sink.url);
          gateways.push(['gateway, PostgreSQL, events subscribed', await startGateway(config)]);
        }
        try {
          const figures = await measure(targets(sandbox, proxies, gateways), sandboxCount);
          report(figures.scenarios, figures.rate, firstStartMs, sink.received());
          // Against the cheapest gateway scenario: the stricter comparison.
          const gatewayCpu = Math.min(
            ...figures.scenarios.flatMap((s) => (s.name.startsWith('gateway') ? [s.cpuMsPerRequest ?? Infinity] : [])),
          );
          console.log(tracingOverheadLine(await measureTracingOverhead(), Number.isFinite(gatewayCpu) ? gatewayCpu : undefined));
        } finally {
          await Promise.all(gateways.map(([, gateway]) => gateway.stop()));
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
    const dbBefore = served?.onPostgres ? postgresCpuMs() : 0;
    const saturation = await saturate(target, SATURATION_S);
    const done = Math.max(1, saturation.ok2xx + saturation.non2xx);
    const cpuMsPerRequest = served ? (cpuMsOf(served.pid) - cpuBefore) / done : undefined;
    const dbCpuMsPerRequest = served?.onPostgres ? (postgresCpuMs() - dbBefore) / done : undefined;
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
  // A rate every scenario sustains: half the slowest one's saturation throughput.
  const rate = Math.max(20, Math.floor(Math.min(...scenarios.map((s) => s.saturation.perSecond)) * 0.5));
  for (const [i, [name, target, served]] of list.entries()) {
    const gateway = served?.gateway;
    const scenario = scenarios[i] as ScenarioFigures;
    const before = await sandboxCount();
    scenario.fixedRate = await steadyRate(target, FIXED_RATE_S, rate);
    received.set(name, (received.get(name) ?? 0) + (await sandboxCount()) - before);
    if (gateway) {
      scenario.peakRssMb = memoryOf(gateway.child.pid ?? 0).peakMb;
      scenario.correctness = await correctness(gateway, scenario, received.get(name) ?? 0);
    }
  }
  return { scenarios, rate };
}

async function correctness(gateway: Gateway, scenario: ScenarioFigures, sandboxReceived: number) {
  const runs: LoadResult[] = [scenario.saturation, ...(scenario.fixedRate ? [scenario.fixedRate] : [])];
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
  console.log('');
  for (const line of targetLines(byName, proxy, embeddedFirstStartMs)) console.log(line);
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
