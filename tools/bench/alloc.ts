// `npm run bench:alloc [-- --captures=3000 --warmup=2000 --rounds=3 --concurrency=8 --only=embedded|postgres]`:
// JS heap bytes the service allocates per capture. Starts the built service (`npm run build`) as
// production runs it, preloaded with `alloc-probe.cjs`, drives captures with idempotency keys
// through it against the PaymentOptions sandbox, and asks the probe for the bytes allocated over each
// round (a full GC either side). Prints bytes per capture, per round and the median, per store.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BENCH_API_KEY, type SandboxInfo, writeBenchConfig } from './gateway';
import { forkReady, WORKSPACE } from './processes';

const option = (name: string, fallback: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const CAPTURES = Number(option('captures', '3000'));
const WARMUP = Number(option('warmup', '2000'));
const ROUNDS = Number(option('rounds', '3'));
const CONCURRENCY = Number(option('concurrency', '8'));
const ONLY = option('only', 'embedded,postgres').split(',');
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The compiled service with the probe and an IPC channel to it; logs at the bench's default level. */
async function startService(configFile: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--require', join(__dirname, 'alloc-probe.cjs'), join(WORKSPACE, 'dist/apps/capture-api/src/main.js')],
    {
      cwd: WORKSPACE,
      env: {
        ...process.env,
        CAPTURE_CONFIG: configFile,
        PORT: String(port),
        BENCH_API_KEY,
        LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'info',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} during start-up`);
    if (
      await fetch(`${baseUrl}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, baseUrl };
    if (performance.now() - started > 30_000) throw new Error('the service was not ready within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function probe<T>(child: ChildProcess, type: string, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string }) => {
      if (message.type !== answer) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
    child.send({ type });
  });
}

let serial = 0;
/** `count` captures, `CONCURRENCY` at a time, each with its own key and authorisation; throws on any non-2xx. */
async function captures(baseUrl: string, count: number): Promise<void> {
  let next = 0;
  const run = `${process.pid}-${Date.now().toString(36)}`;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < count) {
        const n = serial++;
        const response = await fetch(`${baseUrl}/v1/captures`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json', 'idempotency-key': `alloc-${run}-${n}` },
          body: JSON.stringify({ account: 'po-bench', authorisationId: `auth-${run}-${n}`, amount: { amount: 1000, currency: 'JPY' } }),
        });
        await response.arrayBuffer();
        if (response.status >= 300) throw new Error(`a capture answered ${response.status}`);
      }
    }),
  );
}

async function measure(name: string, configFile: string): Promise<void> {
  const { child, baseUrl } = await startService(configFile);
  try {
    await captures(baseUrl, WARMUP);
    const perCapture: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await probe(child, 'alloc-start', 'alloc-started');
      await captures(baseUrl, CAPTURES);
      const { allocated, gcs } = await probe<{ allocated: number; gcs: number }>(child, 'alloc-stop', 'alloc-stopped');
      perCapture.push(allocated / CAPTURES);
      console.log(`${name}: round ${round + 1}: ${(allocated / CAPTURES).toFixed(0)} B/capture (${CAPTURES} captures, ${gcs} GCs)`);
    }
    const median = [...perCapture].sort((a, b) => a - b)[Math.floor(perCapture.length / 2)] ?? 0;
    console.log(`${name}: JS heap allocated per capture, median of ${ROUNDS}: ${median.toFixed(0)} B`);
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-alloc-'));
  const sandboxProc = await forkReady<SandboxInfo>('sandbox.process.ts');
  try {
    if (ONLY.includes('embedded')) {
      await measure('embedded', writeBenchConfig(work, sandboxProc.ready, { dataDir: join(work, 'embedded-data') }));
    }
    if (ONLY.includes('postgres')) {
      const schema = `bench_alloc_${Date.now().toString(36)}`;
      const admin = new Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      try {
        await measure('postgres', writeBenchConfig(work, sandboxProc.ready, { url: DATABASE_URL, schema }));
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    }
  } finally {
    sandboxProc.child.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
