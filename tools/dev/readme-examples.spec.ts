import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { type ExampleBlock, parseAnswer, shellExamples, valueAt } from './readme-examples';

// Every shell example in the READMEs a newcomer follows, run as written against the real `npm start`
// stack (its sandboxes, event sink and service, on free ports), and each `# → status path=value`
// promise checked; the client README's TypeScript examples are type-checked against the client.
const ROOT = resolve(__dirname, '../..');
const READMES = ['README.md', 'apps/capture-api/README.md', 'libs/capture/client/README.md'];
const run = promisify(execFile);
const STEP = '__README_STEP__';
const STATUS = '__README_STATUS__';

const blocks: ExampleBlock[] = READMES.flatMap((file) => shellExamples(file, readFileSync(join(ROOT, file), 'utf8')));

async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

const startScript = (env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/dev/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('the README examples', () => {
  it('finds the examples and every curl has a documented answer', () => {
    const files = new Set(blocks.map((block) => block.file));
    expect(files).toEqual(new Set(['README.md', 'apps/capture-api/README.md']));
    const curls = blocks.flatMap((block) => block.steps.filter((step) => step.command.startsWith('curl')));
    expect(curls.length).toBeGreaterThanOrEqual(8);
    for (const step of curls)
      expect({ command: step.command, documented: step.expect !== undefined }).toEqual({ command: step.command, documented: true });
  });

  it('gives every capture a fresh Idempotency-Key within its file', () => {
    for (const file of READMES) {
      const posts = blocks
        .filter((block) => block.file === file)
        .flatMap((block) => block.steps.filter((step) => step.command.includes('/v1/captures') && step.command.includes('-X POST')));
      const keys = posts.map((step) => /Idempotency-Key: ([^'"]+)/.exec(step.command)?.[1]);
      expect(keys.every((key) => key?.includes('$RUN'))).toBe(true);
    }
  });

  describe('against npm start', () => {
    let stack: ChildProcess;
    let port: number;
    let output = '';
    const dataDir = mkdtempSync(join(tmpdir(), 'firstrun-readme-'));

    beforeAll(async () => {
      const [service, paymentOptions, payEngine, stripe, adyen, sink] = await freePorts(6);
      port = service ?? 0;
      stack = startScript({
        PORT: String(service),
        PAYMENTOPTIONS_SANDBOX_PORT: String(paymentOptions),
        PAYENGINE_SANDBOX_PORT: String(payEngine),
        STRIPE_SANDBOX_PORT: String(stripe),
        ADYEN_SANDBOX_PORT: String(adyen),
        EVENT_SINK_PORT: String(sink),
        CAPTURE_DATA_DIR: dataDir,
      });
      stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 90_000;
      for (;;) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        if (stack.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
        await new Promise((done) => setTimeout(done, 300));
      }
    }, 120_000);

    afterAll(async () => {
      if (stack.exitCode === null) {
        const exited = new Promise((done) => stack.once('exit', done));
        stack.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
      '%s answers as documented',
      async (_where, block) => {
        const script = block.steps
          .map((step) => {
            const command = step.command.replace(/\b(localhost|127\.0\.0\.1):3000\b/g, `127.0.0.1:${port}`);
            return `${command.startsWith('curl') ? `${command} -w '\\n${STATUS}%{http_code}'` : command}\necho '${STEP}'`;
          })
          .join('\n');
        const { stdout } = await run('bash', ['-c', script], { cwd: ROOT, timeout: 60_000 });
        const outputs = stdout.split(`${STEP}\n`);
        block.steps.forEach((step, index) => {
          if (!step.expect) return;
          const raw = outputs[index] ?? '';
          const at = raw.lastIndexOf(STATUS);
          const answer = parseAnswer(raw.slice(0, at), Number(raw.slice(at + STATUS.length).trim()));
          const seen = Object.fromEntries(step.expect.fields.map(({ path }) => [path, valueAt(answer.body, path)]));
          const promised = Object.fromEntries(step.expect.fields.map(({ path, value }) => [path, value]));
          expect({ command: step.command, status: answer.status, ...seen }).toEqual({
            command: step.command,
            status: step.expect.status,
            ...promised,
          });
        });
      },
      90_000,
    );

    it('prints each event, signature verified, through the local event sink', async () => {
      const deadline = Date.now() + 10_000;
      while (!/event capture\.succeeded cap_\S+ adyen-eu 2500 EUR source=webhook/.test(output) && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 200));
      }
      expect(output).toMatch(/event capture\.succeeded cap_\S+ stripe-eu 1250 USD source=api/);
      expect(output).toMatch(/event capture\.succeeded cap_\S+ adyen-eu 2500 EUR source=webhook \(was pending\)/);
      expect(output).not.toMatch(/event refused/);
    }, 15_000);
  });

  it('type-checks the client README TypeScript examples against the client', () => {
    const markdown = readFileSync(join(ROOT, 'libs/capture/client/README.md'), 'utf8');
    const sources = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
    expect(sources.length).toBeGreaterThan(0);
    const dir = join(ROOT, 'tmp/readme-examples');
    mkdirSync(dir, { recursive: true });
    const files = sources.map((source, index) => {
      const file = join(dir, `client-readme-${index + 1}.mts`);
      writeFileSync(file, `${source}\nexport {};\n`);
      return file;
    });
    const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile);
    // Parsed as the file it is, so its `paths` resolve from the workspace root whatever the cwd (Nx runs in tools/).
    const { options } = ts.parseJsonConfigFileContent(
      { compilerOptions: config.compilerOptions, files: [] },
      ts.sys,
      ROOT,
      undefined,
      join(ROOT, 'tsconfig.base.json'),
    );
    const program = ts.createProgram(files, {
      ...options,
      noEmit: true,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('npm start and a taken port', () => {
  it('stops with one line naming the variable to set, and exit code 1', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, done));
    const port = (taken.address() as { port: number }).port;
    try {
      const child = startScript({
        STRIPE_SANDBOX_PORT: String(port),
        PORT: '0',
        PAYMENTOPTIONS_SANDBOX_PORT: '0',
        PAYENGINE_SANDBOX_PORT: '0',
        ADYEN_SANDBOX_PORT: '0',
        EVENT_SINK_PORT: '0',
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise((done) => child.once('exit', done));
      expect({ code, stderr }).toEqual({
        code: 1,
        stderr: `npm start failed: port ${port} is taken: set STRIPE_SANDBOX_PORT to a free port\n`,
      });
    } finally {
      await new Promise((done) => taken.close(done));
    }
  }, 30_000);
});
