import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serviceNodeFlags } from '../dev/service-node-flags';
import { WORKSPACE } from './processes';

export const BENCH_API_KEY = 'bench-client-key-0123456789';

export interface SandboxInfo {
  baseUrl: string;
  credentials: { authorizationKey: string; apiKey: string; merchantId: string };
}

export interface Gateway {
  child: ChildProcess;
  baseUrl: string;
  startupMs: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Writes a config with one PaymentOptions account against the sandbox, on the given store; with
 * `eventsUrl`, the client subscribes to its capture events there.
 */
export function writeBenchConfig(dir: string, sandbox: SandboxInfo, database: Record<string, string>, eventsUrl?: string): string {
  const file = join(dir, `capture.bench.${database['schema'] ?? 'embedded'}.json`);
  const subscriptions = eventsUrl ? [{ id: 'bench', url: eventsUrl, secrets: ['bench-events-secret-0123456789'] }] : [];
  const config = {
    database,
    plugins: [{ module: '@capture-gateway/provider-paymentoptions' }],
    accounts: [
      {
        id: 'po-bench',
        plugin: 'paymentoptions',
        timeoutMs: 10_000,
        settings: { baseUrl: sandbox.baseUrl, ...sandbox.credentials, currency: 'JPY' },
      },
    ],
    clients: [{ id: 'bench', apiKey: { env: 'BENCH_API_KEY' }, accounts: ['po-bench'], subscriptions }],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Starts the real service as its own process and times it from spawn to a ready answer. */
export async function startGateway(configFile: string, logLevel = process.env['BENCH_LOG_LEVEL'] ?? 'info'): Promise<Gateway> {
  const port = await freePort();
  const started = performance.now();
  // start:prod's flags, then BENCH_NODE_ARGS: extra Node flags for the service, e.g.
  // `--cpu-prof --cpu-prof-dir=tmp/prof` to profile it (a later flag overrides an earlier one).
  const extra = [...serviceNodeFlags(), ...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean)];
  extra.push('--expose-gc', '--require', join(__dirname, 'service-probe.cjs'));
  const snapshots = process.env['BENCH_HEAP_SNAPSHOTS'];
  if (snapshots) extra.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshots}`);
  // The service as production runs it: compiled by `npm run build` (the bench script builds first).
  const child = spawn(process.execPath, [...extra, join(WORKSPACE, 'dist/apps/capture-api/src/main.js')], {
    cwd: WORKSPACE,
    env: { ...process.env, CAPTURE_CONFIG: configFile, PORT: String(port), BENCH_API_KEY, LOG_LEVEL: logLevel },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} during start-up (${configFile})`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (performance.now() - started > 30_000) throw new Error('the service was not ready within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const startupMs = performance.now() - started;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, baseUrl, startupMs, stop };
}

/** How many captures the service stored for the bench account, counted through its own API. */
export async function storedCaptures(baseUrl: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ account: 'po-bench', limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${baseUrl}/v1/captures?${query}`, { headers: { authorization: `Bearer ${BENCH_API_KEY}` } });
    if (!response.ok) throw new Error(`listing captures answered ${response.status}`);
    const page = (await response.json()) as { data: unknown[]; nextCursor: string | null };
    count += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

/** The service's used JS heap in MB, from its own /metrics; undefined when it cannot tell. */
export async function usedHeapMb(baseUrl: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const used = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
    return used ? Number(used) / 1048576 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the service's used JS heap once a second. Where RSS grows and the heap does not, V8 is
 * sizing its heap under load, not leaking.
 */
export function sampleHeap(baseUrl: string, everyMs = 1_000): () => Promise<number[]> {
  const samples: number[] = [];
  const timer = setInterval(() => void usedHeapMb(baseUrl).then((mb) => mb !== undefined && samples.push(mb)), everyMs);
  return async () => {
    clearInterval(timer);
    return samples;
  };
}
