import { Agent, request } from 'node:http';
import type { LoadResult, Target } from './load';

let run = 0;

/**
 * A fixed-rate load without bursts: one request every 1/rate seconds, each on its own schedule, and
 * latency measured from when it was due or sent, whichever came first, so a slow server cannot hide
 * its queueing. autocannon's own rate limit sends each second's quota at once, which measures the burst.
 */
export async function steadyRate(target: Target, seconds: number, rate: number): Promise<LoadResult> {
  const url = new URL(target.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const prefix = `${Date.now().toString(36)}-s${(run++).toString(36)}`;
  const latencies: number[] = [];
  const counts = { ok2xx: 0, non2xx: 0, status5xx: 0, errors: 0 };
  const started = performance.now();
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      // Timers fire up to a millisecond early: timed from the schedule alone a latency reads short
      // (even negative); from the earlier of the schedule and the send, queueing still shows.
      const due = Math.min(started + (i * 1000) / rate, performance.now());
      const id = `bench-${prefix}-${i.toString(36)}`;
      const body = target.body(id);
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          timeout: 10_000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers(id) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) counts.ok2xx++;
            else counts.non2xx++;
            if (status >= 500) counts.status5xx++;
            resolve();
          });
        },
      );
      req.on('error', () => (counts.errors++, resolve()));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end(body);
    });
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(i));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: total,
    perSecond: total / ((performance.now() - started) / 1000),
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? 0,
    ...counts,
  };
}
