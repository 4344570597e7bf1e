// One variant in a fresh process: warm up, then N calls with a fixed number in flight, measuring this
// process's CPU (process.cpuUsage) and memory. Every answer is checked: right status, right id.
import { variant, type VariantName } from './transport.variants';

const [name, baseUrl, callsArg, inFlightArg] = process.argv.slice(2) as [VariantName, string, string, string];
const calls = Number(callsArg);
const inFlight = Number(inFlightArg);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function run(count: number, call: (id: number) => Promise<{ status: number; id: unknown }>): Promise<number> {
  let next = 0;
  let wrong = 0;
  const lane = async () => {
    while (next < count) {
      const id = next++;
      const answer = await call(id);
      if (answer.status !== 200 || answer.id !== id) wrong++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return wrong;
}

async function main() {
  const { call, close } = variant(name, baseUrl);
  const warmUpWrong = await run(Math.max(50, Math.round(calls / 10)), call);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const wrong = await run(calls, call);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const rssAfter = process.memoryUsage().rss;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  await close();
  process.send?.({
    type: 'result',
    name,
    calls,
    wrong: wrong + warmUpWrong,
    cpuMsPerCall: (used.user + used.system) / 1000 / calls,
    wallMs,
    rssMb: rssAfter / 2 ** 20,
    rssGrowthMb: (rssAfter - rssBefore) / 2 ** 20,
    heapGrowthKb: (heapAfter - heapBefore) / 1024,
  });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', name, message: String((error as Error)?.stack ?? error) });
});
