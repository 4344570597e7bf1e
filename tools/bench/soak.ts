import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Gateway, usedHeapMb } from './gateway';
import { heapDiff, renderHeapDiff } from './heap-diff';
import type { LoadResult, Target } from './load';
import { steadyRate } from './steady-rate';

export interface SoakFigures {
  seconds: number;
  rate: number;
  run: LoadResult;
  /** Live JS heap (used right after a full GC) in the second and the last fifth of the soak (full mode: minute 2 and minute 5), MB. */
  heapSecondMb: number;
  heapLastMb: number;
  heapGrowthPct: number;
  /** Mean used heap over the same windows, garbage included: how far V8 lets the heap run between collections. */
  usedSecondMb: number;
  usedLastMb: number;
}

// Clamped: a reading scheduled for a moment already past (a slow or busy machine) runs at once,
// rather than Node warning TimeoutNegativeWarning and treating the delay as 1 ms anyway.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * A steady load for `seconds`. Three times in its second fifth and three times in its last, the
 * service collects its garbage (SIGWINCH to service-probe.cjs) and its used heap is read from its own
 * /metrics: the live heap. Growth of that between the two windows is memory the service keeps.
 * With `snapshotDir` (the gateway started with `--heapsnapshot-signal=SIGUSR2`), a heap snapshot is
 * taken at the end of the second fifth and at the end, and the two are compared by constructor.
 */
export async function soak(target: Target, gateway: Gateway, seconds: number, rate: number, snapshotDir?: string): Promise<SoakFigures> {
  const fifthMs = (seconds * 1000) / 5;
  const used: Array<{ at: number; mb: number }> = [];
  const live: Array<{ at: number; mb: number }> = [];
  const started = performance.now();
  const since = () => performance.now() - started;
  const sampler = setInterval(
    () => {
      const at = since();
      void usedHeapMb(gateway.baseUrl).then((mb) => mb !== undefined && used.push({ at, mb }));
    },
    Math.min(1_000, fifthMs / 8),
  );
  const readLive = async (at: number) => {
    await sleep(at - since());
    gateway.child.kill('SIGWINCH');
    await sleep(200);
    const mb = await usedHeapMb(gateway.baseUrl);
    if (mb !== undefined) live.push({ at, mb });
  };
  const readings = [1, 2, 4, 5]
    .flatMap((fifth) => (fifth === 2 || fifth === 5 ? [0.25, 0.5, 0.75].map((part) => (fifth - 1 + part) * fifthMs) : []))
    .reduce((chain, at) => chain.then(() => readLive(at)), Promise.resolve());
  const snapshot = () => gateway.child.kill('SIGUSR2');
  const early = snapshotDir ? setTimeout(snapshot, 2 * fifthMs) : undefined;
  let run: LoadResult;
  try {
    [run] = await Promise.all([steadyRate(target, seconds, rate), readings]);
  } finally {
    clearInterval(sampler);
    clearTimeout(early);
  }
  if (snapshotDir) {
    snapshot();
    await compareSnapshots(snapshotDir, gateway.child.pid ?? 0);
  }
  const mean = (samples: typeof used, from: number, to: number) => {
    const window = samples.filter((s) => s.at >= from && s.at < to).map((s) => s.mb);
    return window.length ? window.reduce((a, b) => a + b, 0) / window.length : NaN;
  };
  const heapSecondMb = mean(live, fifthMs, 2 * fifthMs);
  const heapLastMb = mean(live, 4 * fifthMs, Infinity);
  return {
    seconds,
    rate,
    run,
    heapSecondMb,
    heapLastMb,
    heapGrowthPct: ((heapLastMb - heapSecondMb) / heapSecondMb) * 100,
    usedSecondMb: mean(used, fifthMs, 2 * fifthMs),
    usedLastMb: mean(used, 4 * fifthMs, Infinity),
  };
}

// Node writes Heap.<date>.<pid>.<thread>.<seq>.heapsnapshot in place, taking seconds for the second.
async function compareSnapshots(dir: string, pid: number): Promise<void> {
  const mine = () =>
    readdirSync(dir)
      .filter((f) => f.includes(`.${pid}.`) && f.endsWith('.heapsnapshot'))
      .sort();
  const deadline = Date.now() + 180_000;
  while (mine().length < 2 && Date.now() < deadline) await sleep(500);
  const [first, second] = mine().slice(-2);
  if (!first || !second) return void console.error(`soak: no pair of heap snapshots of ${pid} in ${dir}`);
  for (;;) {
    try {
      const rows = heapDiff(join(dir, first), join(dir, second));
      return void console.error(`heap snapshots of ${pid}: ${first} -> ${second}\n${renderHeapDiff(rows)}`);
    } catch (error) {
      // Still being written (truncated JSON): try again shortly.
      if (Date.now() > deadline) return void console.error(`soak: could not compare the heap snapshots: ${String(error)}`);
      await sleep(2_000);
    }
  }
}
