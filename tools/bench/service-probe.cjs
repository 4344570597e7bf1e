// Bench-only, preloaded into every gateway the bench starts (`--require`, with `--expose-gc`):
// - SIGWINCH runs a full garbage collection, so the soak reads the live heap from /metrics right
//   after it rather than a used heap that also counts garbage V8 has not collected yet;
// - SIGHUP (sent when BENCH_PAUSES=1) prints, since the previous SIGHUP, where a request's latency can
//   stall without the service's own code knowing: GC pauses, event-loop delay, waits for a pooled
//   PostgreSQL connection.
const { PerformanceObserver, monitorEventLoopDelay } = require('node:perf_hooks');
const { writeSync } = require('node:fs');

let pauses = [];
let since = performance.now();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

// Time to get a pooled PostgreSQL connection (pg is CommonJS: the service's import is this same module).
let poolWaits = [];
try {
  const { Pool } = require('pg');
  const connect = Pool.prototype.connect;
  Pool.prototype.connect = function (callback) {
    const asked = performance.now();
    const got = () => poolWaits.push(performance.now() - asked);
    if (typeof callback === 'function')
      return connect.call(this, (error, client, release) => {
        got();
        callback(error, client, release);
      });
    return connect.call(this).then((client) => (got(), client));
  };
} catch {
  // no pg here: the embedded store
}

process.on('SIGWINCH', () => globalThis.gc?.());

process.on('SIGHUP', () => {
  const seconds = (performance.now() - since) / 1000;
  const sorted = [...pauses].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const ms = (ns) => (ns / 1e6).toFixed(1);
  writeSync(
    2,
    `pauses of ${process.pid} over ${seconds.toFixed(0)} s: GC ${sorted.length} pauses, ${total.toFixed(0)} ms in all ` +
      `(${(total / 10 / seconds || 0).toFixed(1)} % of the time), p99 ${at(0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms, ` +
      `over 5 ms ${sorted.filter((d) => d > 5).length}; event-loop delay p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms\n`,
  );
  const waits = [...poolWaits].sort((a, b) => a - b);
  const waitAt = (q) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0;
  if (waits.length)
    writeSync(
      2,
      `pool waits of ${process.pid}: ${waits.length} connections taken, p50 ${waitAt(0.5).toFixed(2)} ms, p99 ${waitAt(0.99).toFixed(1)} ms, max ${(waits.at(-1) ?? 0).toFixed(1)} ms\n`,
    );
  poolWaits = [];
  pauses = [];
  loop.reset();
  since = performance.now();
});
