import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { startSandboxServer, type RunningServer } from '../../testing';
import { createProviderHttp } from './provider-http.client';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('trace context on provider calls', () => {
  let server: RunningServer;
  let seen: Record<string, unknown> = {};

  beforeAll(async () => {
    server = await startSandboxServer((request) => {
      seen = request.headers;
      return { status: 200, json: { ok: true } };
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    propagation.disable();
    context.disable();
  });

  const http = () =>
    createProviderHttp({
      providerName: 'Acme',
      baseUrl: server.baseUrl,
      timeoutMs: 5_000,
      headers: { authorization: 'Basic sk_1' },
      secrets: [],
    });
  const inSpan = <T>(work: () => Promise<T>) =>
    context.with(trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED }), work);

  it('sends the active span as a W3C traceparent beside the credentials and request id', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    await inSpan(() => http().post('/capture', {}, { requestId: 'req_12345678' }));
    expect(seen).toMatchObject({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      authorization: 'Basic sk_1',
      'x-request-id': 'req_12345678',
    });
  });

  it('adds nothing when the service registered no propagator (tracing off)', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    await inSpan(() => http().get('/status'));
    expect(seen['traceparent']).toBeUndefined();
    expect(seen['tracestate']).toBeUndefined();
  });
});
