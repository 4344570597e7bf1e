import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { ConfigError } from '../../config/config.errors';
import { tracingSettingsFrom } from './tracing.config';
import { samplerOf } from './tracing.sdk';
import { startTracing } from './tracing.setup';
import { FLUSH_LIMIT_MS } from './tracing.types';
import { defined } from '../../testing/defined';

describe('tracing settings from the environment', () => {
  test('nothing set, or the SDK disabled: off', () => {
    expect(tracingSettingsFrom({})).toEqual({ enabled: false });
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toEqual({ enabled: false });
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({
      enabled: false,
    });
  });

  test('the base endpoint gets /v1/traces; the traces endpoint is used as it is and wins', () => {
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      enabled: true,
      url: 'http://collector:4318/v1/traces',
      serviceName: 'capture-gateway',
      sampler: { name: 'parentbased_always_on', ratio: 1 },
    });
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example/otlp/' })).toMatchObject({
      url: 'https://c.example/otlp/v1/traces',
    });
    expect(
      tracingSettingsFrom({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom',
        OTEL_SERVICE_NAME: 'capture-eu',
      }),
    ).toMatchObject({ enabled: true, url: 'http://traces:4318/custom', serviceName: 'capture-eu' });
    expect(
      tracingSettingsFrom({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_SAMPLER: 'ParentBased_TraceIdRatio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toMatchObject({ sampler: { name: 'parentbased_traceidratio', ratio: 0.25 } });
  });

  test('a bad value stops start-up naming the variable, not the value', () => {
    const problem = (env: NodeJS.ProcessEnv) => {
      try {
        tracingSettingsFrom(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector-token-abc:4318' })).toBe(
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL',
    );
    expect(problem({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector/v1/traces' })).toMatch(/^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: /);
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SERVICE_NAME: 'x'.repeat(300) })).toMatch(/^OTEL_SERVICE_NAME: /);
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toMatch(
      /^OTEL_TRACES_SAMPLER: must be one of always_on, always_off, traceidratio, /,
    );
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toBe(
      'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1',
    );
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: 'half' })).toBe(
      'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1',
    );
  });
});

describe('samplers', () => {
  const caller = (sampled: boolean) =>
    trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: sampled ? 1 : 0,
      isRemote: true,
    });
  // The ratio samplers hash the trace id to 32 bits: this one's is the highest, above any ratio under 1.
  const decides = (sampler: Sampler, parent = context.active()) =>
    sampler.shouldSample(parent, 'ffffffff000000000000000000000000', 'span', SpanKind.SERVER, {}, []).decision;

  test("parentbased_* follow the caller's flag; the ratio samplers sample by trace id; always_off never", () => {
    const recorded = SamplingDecision.RECORD_AND_SAMPLED;
    expect(decides(samplerOf({ name: 'parentbased_always_on', ratio: 1 }), caller(false))).toBe(SamplingDecision.NOT_RECORD);
    expect(decides(samplerOf({ name: 'parentbased_always_on', ratio: 1 }), caller(true))).toBe(recorded);
    expect(decides(samplerOf({ name: 'parentbased_always_on', ratio: 1 }))).toBe(recorded);
    expect(decides(samplerOf({ name: 'always_on', ratio: 1 }), caller(false))).toBe(recorded);
    expect(decides(samplerOf({ name: 'always_off', ratio: 1 }), caller(true))).toBe(SamplingDecision.NOT_RECORD);
    expect(decides(samplerOf({ name: 'traceidratio', ratio: 0.5 }))).toBe(SamplingDecision.NOT_RECORD);
    expect(decides(samplerOf({ name: 'traceidratio', ratio: 1 }))).toBe(recorded);
    expect(decides(samplerOf({ name: 'parentbased_traceidratio', ratio: 0.5 }), caller(true))).toBe(recorded);
    expect(decides(samplerOf({ name: 'parentbased_traceidratio', ratio: 0.5 }))).toBe(SamplingDecision.NOT_RECORD);
  });
});

describe('startTracing', () => {
  let server: Server;
  let bodies: Array<{ contentType?: string; url?: string; body: unknown }>;
  let endpoint: string;

  beforeAll(async () => {
    bodies = [];
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        bodies.push({ contentType: req.headers['content-type'], url: req.url, body: JSON.parse(raw) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((closed) => server.close(closed)));

  test('unset: registers no provider and no propagator, so nothing is recorded or exported', async () => {
    const tracing = await startTracing({});
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(propagation.fields()).toEqual([]);
    await tracing.shutdown();
    expect(bodies).toEqual([]);
  });

  test('set: spans are exported over OTLP/HTTP JSON to <endpoint>/v1/traces with service.name, flushed at shutdown', async () => {
    const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'capture-spec' });
    expect(tracing.enabled).toBe(true);
    expect(propagation.fields()).toEqual(expect.arrayContaining(['traceparent', 'tracestate']));
    const span = trace.getTracer('probe').startSpan('probe span');
    const { traceId } = span.spanContext();
    span.end();
    // The batch processor holds it until its delay or the shutdown's flush.
    expect(await tracing.shutdown()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ url: '/v1/traces', contentType: 'application/json' });
    const [exported] = (defined(bodies[0], 'an export').body as OtlpJson).resourceSpans;
    expect(exported?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'capture-spec' } });
    expect(exported?.scopeSpans[0]?.spans[0]).toMatchObject({ name: 'probe span', traceId });
    // Unregistered again: the API is back to its no-op.
    expect(trace.getTracer('probe').startSpan('after').isRecording()).toBe(false);
  });

  test('a collector that is down does not fail or hold up the shutdown: the spans are dropped, false', async () => {
    const closed = createServer();
    await new Promise<void>((listening) => closed.listen(0, '127.0.0.1', listening));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    trace.getTracer('probe').startSpan('lost').end();
    const started = performance.now();
    await expect(tracing.shutdown()).resolves.toBe(false);
    expect(performance.now() - started).toBeLessThan(FLUSH_LIMIT_MS + 1_000);
  }, 15_000);
});

interface OtlpJson {
  resourceSpans: Array<{ resource: { attributes: unknown[] }; scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
}
