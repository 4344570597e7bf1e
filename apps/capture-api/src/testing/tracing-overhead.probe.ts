// What tracing costs a capture when it is off, measured in this process for `npm run bench`
// (tools/bench/tracing-overhead.ts runs this file and reads the JSON line it prints).
// 1. Time: with nothing registered (tracing off, as in production without the variable), each
//    wrapper's no-op path is timed against the bare work it wraps, in CPU time, median of several rounds.
// 2. Count: captures through the real app (embedded store, network-free memory plugin) with an
//    in-memory exporter registered give the spans of one capture by kind, and its log lines.
// The sum, count x cost, is the CPU one capture spends in tracing code while tracing is off.
import 'reflect-metadata';
import { context, propagation, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { FastifyInstance } from 'fastify';
import { inActiveSpan } from '../observability/tracing/active-span';
import { traceLogFields } from '../observability/tracing/log-trace-fields';
import { registerRequestTracing } from '../observability/tracing/request-tracing.hook';
import { traceStatement, traceStatementSync } from '../observability/tracing/statement-span';
import { registerTracing } from '../observability/tracing/tracing.sdk';
import { SHOP_KEY, startTestApp } from './test-app';

const CAPTURES = 20;
const ROUNDS = 7;
const ITERATIONS = 50_000;

type Counts = { request: number; statement: number; providerCall: number; logLine: number; outboundInject: number };

async function countPerCapture(): Promise<Counts> {
  const exporter = new InMemorySpanExporter();
  const tracing = registerTracing(new SimpleSpanProcessor({ exporter }), 'overhead-probe');
  const t = await startTestApp();
  try {
    const logsBefore = t.logs.length;
    for (let i = 0; i < CAPTURES; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/captures',
        headers: { authorization: `Bearer ${SHOP_KEY}`, 'idempotency-key': `probe-${i}` },
        payload: { account: 'mem-us', authorisationId: `probe_${i}`, amount: { amount: 100, currency: 'USD' } },
      });
      if (res.statusCode !== 201) throw new Error(`probe capture answered ${res.statusCode}`);
    }
    const spans = exporter.getFinishedSpans();
    const per = (n: number) => n / CAPTURES;
    const providerCall = per(spans.filter((s) => s.name.startsWith('capture ')).length);
    return {
      request: per(spans.filter((s) => s.kind === SpanKind.SERVER).length),
      statement: per(spans.filter((s) => s.attributes['db.system'] !== undefined).length),
      providerCall,
      logLine: per(t.logs.length - logsBefore),
      // One HTTP call per capture for the HTTP plugins (the memory plugin makes none).
      outboundInject: providerCall,
    };
  } finally {
    await t.close();
    await tracing.shutdown();
  }
}

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function medianCostUs(wrapped: () => unknown, bare: () => unknown): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = cpuUs();
    for (let i = 0; i < ITERATIONS; i++) await wrapped();
    const b = cpuUs();
    for (let i = 0; i < ITERATIONS; i++) await bare();
    const c = cpuUs();
    rounds.push((b - a - (c - b)) / ITERATIONS);
  }
  rounds.sort((x, y) => x - y);
  return Math.max(0, rounds[Math.floor(ROUNDS / 2)] ?? 0);
}

// The three request hooks, as Fastify calls them, on a request object shaped like Fastify's.
function requestHooks() {
  const hooks: Record<string, (request: unknown, reply: unknown, done: () => void) => void> = {};
  registerRequestTracing({ addHook: (name: string, fn: never) => (hooks[name] = fn) } as unknown as FastifyInstance);
  const hook = (name: string) => {
    const fn = hooks[name];
    if (!fn) throw new Error(`registerRequestTracing added no ${name} hook`);
    return fn;
  };
  const [onRequest, preHandler, onResponse] = [hook('onRequest'), hook('preHandler'), hook('onResponse')];
  const noop = () => undefined;
  return () => {
    const request = {
      headers: { 'content-type': 'application/json' },
      method: 'POST',
      routeOptions: { url: '/v1/captures' },
      id: 'req_probe',
    };
    const reply = { statusCode: 201 };
    onRequest(request, reply, noop);
    preHandler(request, reply, noop);
    onResponse(request, reply, noop);
  };
}

async function main(): Promise<void> {
  const sql = 'INSERT INTO captures (id, account) VALUES (?, ?)';
  const bareRequest = () => ({ headers: {}, method: 'POST', routeOptions: { url: '/v1/captures' }, id: 'req_probe' });
  const costUs = {
    request: await medianCostUs(requestHooks(), bareRequest),
    // The dearer of the two backends' wrappers (synchronous for node:sqlite, asynchronous for pg).
    statement: Math.max(
      await medianCostUs(
        () => traceStatementSync('sqlite', sql, () => 1),
        () => 1,
      ),
      await medianCostUs(
        () => traceStatement('postgresql', sql, async () => 1),
        async () => 1,
      ),
    ),
    providerCall: await medianCostUs(
      () => inActiveSpan('capture memory', { kind: SpanKind.CLIENT, attributes: { a: 'b' } }, async (span) => span.setAttribute('c', 'd')),
      async () => 1,
    ),
    logLine: await medianCostUs(traceLogFields, () => ({})),
    outboundInject: await medianCostUs(
      () => propagation.inject(context.active(), {}),
      () => ({}),
    ),
  };
  const counts = await countPerCapture();
  const usPerCapture =
    counts.request * costUs.request +
    counts.statement * costUs.statement +
    counts.providerCall * costUs.providerCall +
    counts.logLine * costUs.logLine +
    counts.outboundInject * costUs.outboundInject;
  process.stdout.write(`${JSON.stringify({ counts, costUs, usPerCapture })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
