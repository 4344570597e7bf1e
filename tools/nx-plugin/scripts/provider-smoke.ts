import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs a workspace provider in the real service: starts the provider's sandbox on a free port, then
// the service (as operators run it) with a config naming the library by its alias and one account on
// that sandbox, and captures once over HTTP. Usage, from the workspace root:
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/nx-plugin/scripts/provider-smoke.ts <name> [--serve]
// Without --serve it exits 0 after a 201, 1 otherwise; with --serve it keeps both running until Ctrl-C.
const ROOT = resolve(__dirname, '../../..');
const API_KEY = 'smoke_key_0123456789abcdef';
const START_TIMEOUT_MS = 60_000;

interface Sandbox {
  baseUrl: string;
  credentials?: Record<string, string>;
  close(): Promise<void>;
}

async function startSandbox(name: string): Promise<Sandbox> {
  const module = (await import(join(ROOT, 'libs/providers', name, 'src/sandbox/index.ts'))) as Record<string, unknown>;
  const start = Object.entries(module).find(([key, value]) => /^start\w*Sandbox$/.test(key) && typeof value === 'function')?.[1];
  if (!start) throw new Error(`libs/providers/${name}/src/sandbox exports no start…Sandbox() function`);
  return (start as (options: { port: number }) => Promise<Sandbox>)({ port: 0 });
}

/** The account's settings: the sandbox's URL and its credentials (named like the config fields), as env references. */
function configFor(name: string, sandbox: Sandbox, dataDir: string) {
  const credentials = sandbox.credentials ?? {};
  const secretEnv = Object.keys(credentials).map((key) => [key, `SMOKE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] as const);
  const settings = { baseUrl: sandbox.baseUrl, ...Object.fromEntries(secretEnv.map(([key, env]) => [key, { env }])) };
  const env = Object.fromEntries(secretEnv.map(([key, variable]) => [variable, String(credentials[key])]));
  return {
    env,
    config: {
      database: { dataDir },
      plugins: [{ module: `@capture-gateway/provider-${name}` }],
      accounts: [{ id: `${name}-test`, plugin: name, timeoutMs: 5_000, settings }],
      clients: [{ id: 'smoke', apiKey: API_KEY, accounts: [`${name}-test`] }],
    },
  };
}

function startService(configPath: string, env: Record<string, string>, port: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/capture-api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: '',
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
      CAPTURE_CONFIG: configPath,
      PORT: port,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the service did not listen within ${START_TIMEOUT_MS / 1000}s:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"message":"capture-api listening","url":"([^"]+)"/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        done(url.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the service exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, url };
}

async function captureOnce(url: string, account: string): Promise<void> {
  const response = await fetch(`${url}/v1/captures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'idempotency-key': `smoke-${Date.now()}` },
    body: JSON.stringify({ account, authorisationId: `smoke-${Date.now()}`, amount: { amount: 15000, currency: 'USD' } }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/captures answered ${response.status}, not 201: ${body}`);
  process.stdout.write(`provider-smoke: POST /v1/captures on ${account} answered 201: ${body}\n`);
}

async function main(): Promise<void> {
  const [name, flag] = process.argv.slice(2);
  if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) throw new Error('usage: provider-smoke.ts <provider-name> [--serve]');
  const serve = flag === '--serve';
  const work = mkdtempSync(join(tmpdir(), `capture-smoke-${name}-`));
  let sandbox: Sandbox | undefined;
  let service: ChildProcess | undefined;
  const cleanUp = async () => {
    const child = service;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
    await sandbox?.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    sandbox = await startSandbox(name);
    const { config, env } = configFor(name, sandbox, join(work, 'data'));
    const configPath = join(work, 'capture.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const started = startService(configPath, env, serve ? (process.env['PORT'] ?? '3000') : '0');
    const child = started.child;
    service = child;
    const url = await started.url;
    await captureOnce(url, `${name}-test`);
    if (serve) {
      process.stdout.write(
        `provider-smoke: the service is on ${url} (API key ${API_KEY}, account ${name}-test), the sandbox on ${sandbox.baseUrl}; Ctrl-C stops both\n`,
      );
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
        child.once('exit', () => done());
      });
    }
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`provider-smoke failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
