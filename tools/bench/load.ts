import autocannon from 'autocannon';

/** One endpoint under load: every request carries fresh ids, so no capture repeats another. */
export interface Target {
  name: string;
  url: string;
  headers(id: string): Record<string, string>;
  body(id: string): string;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  ok2xx: number;
  non2xx: number;
  status5xx: number;
  errors: number;
}

let run = 0;

// Runs a fixed number of requests: autocannon then waits for every answer, so the 2xx it counts are
// exactly the captures the target finished (a timed run drops the answers in flight at the end).
function fire(target: Target, options: { amount: number; connections: number; rate?: number }): Promise<LoadResult> {
  const prefix = `${Date.now().toString(36)}-${(run++).toString(36)}`;
  let sequence = 0;
  const started = performance.now();
  let lastAnswer = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        connections: options.connections,
        amount: options.amount,
        overallRate: options.rate,
        timeout: 10,
        requests: [
          {
            setupRequest: (request: autocannon.Request) => {
              const id = `bench-${prefix}-${(sequence++).toString(36)}`;
              return { ...request, headers: { 'content-type': 'application/json', ...target.headers(id) }, body: target.body(id) };
            },
          },
        ],
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          // Up to the last answer: an amount-based run ends on autocannon's next whole-second tick.
          perSecond: result.requests.total / (Math.max(lastAnswer - started, 1) / 1000),
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          ok2xx: result['2xx'],
          non2xx: result.non2xx,
          status5xx: result['5xx'],
          // Connection errors, timeouts included.
          errors: result.errors,
        });
      },
    );
    instance.on('response', () => (lastAnswer = performance.now()));
  });
}

/**
 * As fast as `connections` concurrent clients can go, for about `seconds`: a short probe estimates
 * the rate, then a run of that many requests measures it.
 */
export async function saturate(target: Target, seconds: number, connections = 32): Promise<LoadResult> {
  const probe = await fire(target, { amount: 200, connections });
  const amount = Math.max(200, Math.round(probe.perSecond * seconds));
  return sum(probe, await fire(target, { amount, connections }));
}

/** The measured run's figures, with the probe's requests added to the counts that correctness checks. */
function sum(probe: LoadResult, run: LoadResult): LoadResult {
  return {
    ...run,
    ok2xx: probe.ok2xx + run.ok2xx,
    non2xx: probe.non2xx + run.non2xx,
    status5xx: probe.status5xx + run.status5xx,
    errors: probe.errors + run.errors,
  };
}
