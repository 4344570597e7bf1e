// The SDK's transport micro-benchmark: CPU per provider call and memory of ky on the global fetch,
// on fetch with an undici Agent, on createUndiciFetch (undici.request), and of bare undici.request,
// all in ONE run against one local kept-alive server, each variant in a fresh process, rounds
// interleaved so the machine's noise falls on all of them alike. Ratios matter, not absolute times.
//   npm run bench:sdk [-- --calls 20000 --rounds 3 --in-flight 16]
//   npm run bench:sdk -- --variants a-ky-global-fetch,c-ky-undici-request   (an A/B of two)
//   npm run bench:sdk -- --quick      (a few hundred calls each: checks every answer, times nothing)
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VARIANTS, type VariantName } from './transport.variants';

interface Result {
  name: VariantName;
  calls: number;
  wrong: number;
  cpuMsPerCall: number;
  wallMs: number;
  rssMb: number;
  rssGrowthMb: number;
  heapGrowthKb: number;
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    calls: { type: 'string' },
    rounds: { type: 'string' },
    'in-flight': { type: 'string', default: '16' },
    variants: { type: 'string' },
  },
});
const quick = values.quick;
const calls = Number(values.calls ?? (quick ? 300 : 20_000));
const rounds = Number(values.rounds ?? (quick ? 1 : 3));
const inFlight = Number(values['in-flight']);
const WORKSPACE = join(__dirname, '../../../..');
const env = { ...process.env, SWC_NODE_PROJECT: join(WORKSPACE, 'tsconfig.base.json') };

function start(file: string, args: string[]): ChildProcess {
  return fork(join(__dirname, file), args, {
    execArgv: ['-r', '@swc-node/register', '--expose-gc'],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function next<T>(child: ChildProcess, file: string): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'error') reject(new Error(message.message));
      else resolve(message as T);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main() {
  const server = start('answer-server.process.ts', []);
  const { baseUrl } = await next<{ baseUrl: string }>(server, 'answer-server');
  const names = (values.variants?.split(',') ?? Object.keys(VARIANTS)) as VariantName[];
  const unknown = names.filter((name) => !(name in VARIANTS));
  if (unknown.length > 0) throw new Error(`unknown variants ${unknown.join(', ')}; known: ${Object.keys(VARIANTS).join(', ')}`);
  const results: Result[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        const worker = start('transport.worker.ts', [name, baseUrl, String(calls), String(inFlight)]);
        results.push(await next<Result>(worker, name));
        worker.kill();
      }
    }
  } finally {
    server.disconnect();
  }
  const wrong = results.filter((result) => result.wrong > 0);
  if (quick) {
    if (wrong.length > 0) throw new Error(`wrong answers: ${wrong.map((r) => `${r.name} ${r.wrong}`).join(', ')}`);
    console.log(`transport bench (quick): ${names.length} variants x ${calls} calls, every answer right (no times measured)`);
    return;
  }
  const of = (name: VariantName) => results.filter((result) => result.name === name);
  const cpu = (name: VariantName) => median(of(name).map((result) => result.cpuMsPerCall));
  // Ratios against the floor and against the SDK before this change, when those were run.
  const floor = cpu('d-undici-request');
  const before = cpu('a-ky-global-fetch');
  console.log(`SDK transport bench: ${calls} calls x ${rounds} rounds, ${inFlight} in flight, medians; node ${process.version}`);
  console.log('variant                 CPU ms/call  x floor  x before  RSS MB  RSS growth MB  heap growth KB');
  for (const name of names) {
    const m = (pick: (result: Result) => number) => median(of(name).map(pick));
    console.log(
      [
        name.padEnd(22),
        cpu(name).toFixed(4).padStart(12),
        (cpu(name) / floor).toFixed(2).padStart(8),
        (cpu(name) / before).toFixed(2).padStart(9),
        m((r) => r.rssMb)
          .toFixed(1)
          .padStart(7),
        m((r) => r.rssGrowthMb)
          .toFixed(1)
          .padStart(14),
        m((r) => r.heapGrowthKb)
          .toFixed(0)
          .padStart(15),
      ].join(' '),
    );
  }
  for (const name of names) console.log(`  ${name}: ${VARIANTS[name]}`);
  if (wrong.length > 0) throw new Error(`wrong answers: ${wrong.map((r) => `${r.name} ${r.wrong}`).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
