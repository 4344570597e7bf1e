import { propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { join } from 'node:path';
import { MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, SHOP_KEY, startTestApp, type TestApp } from '../../testing/test-app';
import { ReconcilerService } from '../../reconciler/reconciler.service';
import { registerTracing } from './tracing.sdk';
import type { Tracing } from './tracing.types';
import { defined } from '../../testing/defined';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const auth = { authorization: `Bearer ${SHOP_KEY}` };

const attr = (span: ReadableSpan, key: string) => span.attributes[key];
const children = (spans: ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

// The real app in-process (embedded store, memory plugin) with a provider over an in-memory exporter.
describe('traces of a capture, in-process', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let t: TestApp;

  beforeAll(async () => {
    tracing = registerTracing(new SimpleSpanProcessor({ exporter }), 'capture-gateway-spec');
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
  });
  beforeEach(() => exporter.reset());

  async function captureWithTraceparent(authorisationId: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: {
        ...auth,
        'idempotency-key': `key-${authorisationId}`,
        traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
        tracestate: 'acme=1',
      },
      payload: { account: 'mem-us', authorisationId, amount: { amount: 900, currency: 'USD' } },
    });
    return { res, spans: exporter.getFinishedSpans() };
  }

  test("the caller's traceparent is continued: request span, its statements and the provider call in one trace", async () => {
    const { res, spans } = await captureWithTraceparent('auth_trace_1');
    expect(res.statusCode).toBe(201);
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([CALLER_TRACE]));

    const request = defined(
      spans.find((s) => s.kind === SpanKind.SERVER),
      'a server span',
    );
    expect(request.name).toBe('POST /v1/captures');
    expect(request.parentSpanContext).toMatchObject({ spanId: CALLER_SPAN, isRemote: true });
    expect(request.spanContext().traceState?.get('acme')).toBe('1');
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/captures',
      'http.response.status_code': 201,
    });

    const provider = defined(
      children(spans, request).find((s) => s.name === 'capture memory'),
      'a provider span',
    );
    expect(provider.kind).toBe(SpanKind.CLIENT);
    expect(provider.attributes).toMatchObject({
      'capture_gateway.plugin.id': 'memory',
      'capture_gateway.account': 'mem-us',
      'capture_gateway.operation': 'capture',
      'capture_gateway.outcome': 'succeeded',
    });

    // One store transaction before the provider call, one after: BEGIN, statements, COMMIT each.
    const statements = children(spans, request).filter((s) => attr(s, 'db.system.name') === 'sqlite');
    expect(statements.map((s) => s.name)).toEqual(
      expect.arrayContaining(['BEGIN', 'COMMIT', 'INSERT captures', 'INSERT idempotency_keys']),
    );
    expect(statements.filter((s) => s.name === 'COMMIT').length).toBeGreaterThanOrEqual(2);
    for (const s of statements) expect(s.attributes).toMatchObject({ 'db.system': 'sqlite', 'db.operation.name': expect.any(String) });
    const byStart = [...spans].sort((a, b) => hr(a.startTime) - hr(b.startTime));
    expect(byStart.findIndex((s) => s === provider)).toBeGreaterThan(byStart.findIndex((s) => s.name === 'INSERT captures'));
  });

  test("the request's log lines carry its trace id and span id", async () => {
    const before = t.logs.length;
    const { spans } = await captureWithTraceparent('auth_trace_2');
    const request = defined(
      spans.find((s) => s.kind === SpanKind.SERVER),
      'a server span',
    );
    const lines = t.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = defined(
      lines.find((l) => l['message'] === 'request completed'),
      'a request completed line',
    );
    expect(completed).toMatchObject({ trace_id: CALLER_TRACE, span_id: request.spanContext().spanId, route: '/v1/captures' });
    // The memory plugin logs its call from inside the provider span.
    const provider = defined(
      spans.find((s) => s.name === 'capture memory'),
      'a provider span',
    );
    expect(lines.some((l) => l['span_id'] === provider.spanContext().spanId && l['trace_id'] === CALLER_TRACE)).toBe(true);
  });

  test("a caller's baggage is not passed on", async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { ...auth, 'idempotency-key': 'key-baggage', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, baggage: 'user.id=u_123' },
      payload: { account: 'mem-us', authorisationId: 'auth_baggage', amount: { amount: 900, currency: 'USD' } },
    });
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);
  });

  test('a webhook is handled in a span of its own under its request span, with counts and no body', async () => {
    await captureWithTraceparent('pending-trace-3');
    exporter.reset();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/mem-us',
      headers: { 'content-type': 'application/json', 'x-memory-signature': MEMORY_WEBHOOK_SECRET },
      payload: JSON.stringify({ eventId: 'evt_trace_3', authorisationId: 'pending-trace-3', status: 'succeeded' }),
    });
    expect(res.statusCode).toBe(200);
    const spans = exporter.getFinishedSpans();
    const request = defined(
      spans.find((s) => s.kind === SpanKind.SERVER),
      'a server span',
    );
    expect(request.name).toBe('POST /v1/webhooks/:account');
    const webhook = defined(
      children(spans, request).find((s) => s.name === 'webhook receive'),
      'a webhook receive span',
    );
    expect(webhook.attributes).toMatchObject({
      'capture_gateway.account': 'mem-us',
      'capture_gateway.plugin.id': 'memory',
      'capture_gateway.webhook.updates': 1,
      'capture_gateway.webhook.refused': 0,
    });
    expect(children(spans, webhook).some((s) => s.name === 'INSERT webhook_events')).toBe(true);
  });

  test('no secret, card number or bound value reaches any span attribute', async () => {
    const { spans } = await captureWithTraceparent('auth_trace_4');
    const everything = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const secret of [SHOP_KEY, MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, 'auth_trace_4']) expect(everything).not.toContain(secret);
    // Statements are recorded with their placeholders, not the values bound to them.
    const insert = defined(
      spans.find((s) => s.name === 'INSERT captures'),
      'an INSERT captures span',
    );
    expect(insert.attributes['db.query.text']).toMatch(/^INSERT INTO captures .*\?/);
  });

  test('a refused request still ends its request span, with the status', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/captures/cap_nope',
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    });
    expect(res.statusCode).toBe(401);
    const request = defined(
      exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER),
      'a server span',
    );
    expect(request.attributes['http.response.status_code']).toBe(401);
    expect(request.spanContext().traceId).toBe(CALLER_TRACE);
  });

  test('health probes and metrics scrapes make no spans, their statements neither', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  test('a request no route matches gets a span named by its method, with its 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nowhere/sk_live_in_path', headers: auth });
    expect(res.statusCode).toBe(404);
    const [request] = exporter.getFinishedSpans();
    expect(request).toMatchObject({ name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.response.status_code': 404 } });
    expect(JSON.stringify(request?.attributes)).not.toContain('sk_live_in_path');
  });
});

describe('traces of the reconciler, in-process', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let t: TestApp;

  beforeAll(async () => {
    tracing = registerTracing(new SimpleSpanProcessor({ exporter }), 'capture-gateway-spec');
    const settings = { apiKey: MEMORY_API_KEY, webhookSecret: MEMORY_WEBHOOK_SECRET };
    t = await startTestApp({
      plugins: [{ module: join(__dirname, '../../testing/checking-memory.plugin.ts') }],
      accounts: [{ id: 'mem-us', plugin: 'memory-checking', settings }],
      clients: [{ id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us'] }],
      reconciler: { enabled: false },
    });
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
  });

  test('each capture checked is a trace: its span, the check at the provider and the statements recording it; the polling has none', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { ...auth, 'idempotency-key': 'key-reconcile-1' },
      payload: { account: 'mem-us', authorisationId: 'unknown-reconcile-1', amount: { amount: 900, currency: 'USD' } },
    });
    expect(res.json()).toMatchObject({ status: 'unknown' });
    exporter.reset();
    expect(await t.app.get(ReconcilerService).runOnce(new Date(Date.now() + 86_400_000))).toBe(1);
    const spans = exporter.getFinishedSpans();
    const reconcile = defined(
      spans.find((s) => s.name === 'reconcile capture'),
      'a reconcile span',
    );
    expect(reconcile.parentSpanContext).toBeUndefined();
    expect(reconcile.attributes).toMatchObject({
      'capture_gateway.account': 'mem-us',
      'capture_gateway.request_id': expect.stringMatching(/^rec_/),
    });
    expect(children(spans, reconcile).find((s) => s.name === 'check memory-checking')?.attributes).toMatchObject({
      'capture_gateway.plugin.id': 'memory-checking',
      'capture_gateway.operation': 'check',
      'capture_gateway.outcome': 'not_received',
    });
    expect(children(spans, reconcile).filter((s) => s.name === 'COMMIT')).toHaveLength(1);
    // Leasing the due checks is the loop's polling: no span, so every span is in the one trace.
    expect(spans.every((s) => s.spanContext().traceId === reconcile.spanContext().traceId)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/v1/captures/${res.json().id}`, headers: auth })).json().status).toBe('failed');
  });
});

describe('tracing off (nothing registered)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  test('spans are the no-op, no propagator is set, log lines have no trace fields, captures work', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/captures',
      headers: { ...auth, 'idempotency-key': 'key-off-1', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      payload: { account: 'mem-us', authorisationId: 'auth_off_1', amount: { amount: 900, currency: 'USD' } },
    });
    expect(res.statusCode).toBe(201);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
    expect(t.logs.some((line) => line.includes('trace_id'))).toBe(false);
  });
});

function hr([seconds, nanos]: [number, number]): number {
  return seconds * 1e9 + nanos;
}
