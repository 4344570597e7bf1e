import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, type Sandbox, flag, portFlag, startSandbox } from './provider-sandbox-loader';

// Runs a workspace provider in the real service: starts the provider's sandbox on a free port with
// its webhooks pointed at the service (the sandbox convention: `webhookUrl`), then the service (as
// operators run it) with a config naming the library by its alias and one account made of the
// sandbox's `accountSettings`, and captures once over HTTP. Usage, from the workspace root:
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/nx-plugin/scripts/provider-smoke.ts <name> [--serve] [--authorisation=<id>] [--port=<service port>] [--sandbox-port=<port>]
// It passes on a 201 succeeded, or on a 202 pending that the sandbox's webhook then settles as succeeded;
// it exits 1 otherwise. With --serve it keeps both running until Ctrl-C.
const API_KEY = 'smoke_key_0123456789abcdef';
const START_TIMEOUT_MS = 60_000;

/** The plugin's secret() fields, so exactly those travel as environment references, as in production. */
async function secretFields(name: string): Promise<Set<string>> {
  const { secretPaths } = (await import('@capture-gateway/plugin-sdk')) as typeof import('@capture-gateway/plugin-sdk');
  const module = (await import(join(ROOT, 'libs/providers', name, 'src/index.ts'))) as { default: { configSchema: never } };
  return new Set(secretPaths(module.default.configSchema).map((path) => path.join('.')));
}

/** The account's settings: the sandbox's `accountSettings`, its secrets as env references. */
function configFor(name: string, sandbox: Sandbox, secrets: Set<string>, dataDir: string) {
  const legacy = typeof sandbox.credentials === 'object' ? (sandbox.credentials as Record<string, string>) : {};
  const all: Record<string, string> = sandbox.accountSettings ?? { baseUrl: sandbox.baseUrl, ...legacy };
  const secretEnv = Object.keys(all)
    .filter((key) => secrets.has(key))
    .map((key) => [key, `SMOKE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] as const);
  const settings = { ...all, ...Object.fromEntries(secretEnv.map(([key, env]) => [key, { env }])) };
  const env = Object.fromEntries(secretEnv.map(([key, variable]) => [variable, String(all[key])]));
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

/** A free port for the service, known before it starts, so the sandbox's webhooks can name it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

async function captureOnce(url: string, account: string, authorisationId: string): Promise<void> {
  const response = await fetch(`${url}/v1/captures`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': `smoke-${Date.now()}` },
    body: JSON.stringify({ account, authorisationId, amount: { amount: 15000, currency: 'USD' } }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.text();
  const record = JSON.parse(body || '{}') as { id?: string; status?: string };
  if (response.status === 202 && record.status === 'pending' && record.id) {
    process.stdout.write(`provider-smoke: POST /v1/captures on ${account} answered 202 pending; waiting for the sandbox's webhook\n`);
    return settled(url, record.id);
  }
  if (response.status !== 201) throw new Error(`POST /v1/captures answered ${response.status}, not 201 or 202 pending: ${body}`);
  process.stdout.write(`provider-smoke: POST /v1/captures on ${account} answered 201: ${body}\n`);
}

/** Reads a pending capture back until the sandbox's webhook, through the service, has settled it. */
async function settled(url: string, id: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(`${url}/v1/captures/${id}`, { headers, signal: AbortSignal.timeout(5_000) });
    const body = await response.text();
    const status = (JSON.parse(body || '{}') as { status?: string }).status;
    if (status === 'succeeded') return void process.stdout.write(`provider-smoke: the webhook settled ${id}: ${body}\n`);
    if (status !== 'pending') throw new Error(`capture ${id} became ${status ?? response.status}, not succeeded: ${body}`);
    if (Date.now() > deadline) throw new Error(`capture ${id} was still pending after 20 s: did the sandbox's webhook reach the service?`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function main(): Promise<void> {
  const [name, ...flags] = process.argv.slice(2);
  if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(
      'usage: provider-smoke.ts <provider-name> [--serve] [--authorisation=<id>] [--port=<service port>] [--sandbox-port=<port>]',
    );
  }
  const serve = flags.includes('--serve');
  const authorisationId = flag(flags, 'authorisation') ?? `smoke-${Date.now()}`;
  const servicePort = portFlag(flags, 'port');
  const sandboxPort = portFlag(flags, 'sandbox-port') ?? 0;
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
    // --port, else PORT (or 3000) with --serve, else a free one.
    const port = String(servicePort || (serve ? (process.env['PORT'] ?? '3000') : await freePort()));
    sandbox = await startSandbox(name, { port: sandboxPort, webhookUrl: `http://127.0.0.1:${port}/v1/webhooks/${name}-test` });
    const { config, env } = configFor(name, sandbox, await secretFields(name), join(work, 'data'));
    const configPath = join(work, 'capture.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const started = startService(configPath, env, port);
    const child = started.child;
    service = child;
    const url = await started.url;
    await captureOnce(url, `${name}-test`, authorisationId);
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
