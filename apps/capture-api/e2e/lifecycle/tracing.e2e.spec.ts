import { randomUUID } from 'node:crypto';
import type { PayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import type { PaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import {
  call,
  defined,
  embeddedBackend,
  getCapture,
  type OtlpReceiver,
  postgresBackend,
  type RealProviders,
  type ReceivedSpan,
  type RecordingProxy,
  type ServiceProcess,
  SHOP_KEY,
  startOtlpReceiver,
  startProcess,
  startRealProviders,
  startRecordingProxy,
  startWebhookRecorder,
  type WebhookRecorder,
  writeConfig,
} from '@capture-gateway/e2e-support';

const WEBHOOK_SECRET = 'whsec_e2e_traces_0123456789';
const SANDBOX_CARD = '5200000000001005';
const CALLER_TRACE = '5b8efff798038103d269b633813fc60c';
const CALLER_SPAN = 'eee19b7ec3c1b174';
const SERVER = 2; // OTLP's SPAN_KIND_SERVER
const CLIENT = 3;

// The service as operators run it, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a test receiver, on
// PostgreSQL, with both real plugins against their sandboxes. A capture arrives with a traceparent;
// a pending one is settled by PayEngine's signed webhook. The spans are read once the service has
// stopped (SIGTERM flushes what the batch processor still holds).
describe('traces over OTLP from the running service', () => {
  let po: PaymentOptionsSandbox;
  let pe: PayEngineSandbox;
  let providers: RealProviders;
  let receiver: OtlpReceiver;
  let proxy: RecordingProxy;
  let recorder: WebhookRecorder;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  let secrets: string[];
  let spans: ReceivedSpan[];
  let stdout: string;
  let captureRequestId: string;
  const stamp = `trace-${Date.now()}`;

  beforeAll(async () => {
    providers = await startRealProviders(WEBHOOK_SECRET);
    ({ po, pe } = providers);
    [receiver, proxy] = await Promise.all([startOtlpReceiver(), startRecordingProxy(po.baseUrl)]);
    const db = await postgresBackend.create();
    destroy = db.destroy;
    const config = providers.config(db.database, [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: '*' }]) as {
      accounts: Array<{ settings: Record<string, unknown> }>;
    };
    // PaymentOptions through a pass-through that keeps the headers the service sent.
    defined(config.accounts[0], 'a PaymentOptions account').settings['baseUrl'] = proxy.url;
    const env = { ...providers.env, SHOP_API_KEY: SHOP_KEY, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'capture-e2e' };
    secrets = [po.credentials.authorizationKey, po.credentials.apiKey, pe.credentials, WEBHOOK_SECRET, SHOP_KEY];
    service = await startProcess(writeConfig(config), env);
    recorder = await startWebhookRecorder(() => `${service.url}/v1/webhooks/pe-us`);
    pe.setWebhookTarget(recorder.url, WEBHOOK_SECRET);

    const captured = await captureWithTraceparent({
      account: 'po-jp',
      authorisationId: `txn-${stamp}`,
      amount: { amount: 1200, currency: 'JPY' },
    });
    expect(captured.status).toBe(201);
    captureRequestId = captured.requestId;
    const pending = await captureWithTraceparent({
      account: 'pe-us',
      authorisationId: `pending-${stamp}`,
      amount: { amount: 700, currency: 'USD' },
    });
    expect(pending.status).toBe(202);
    for (let i = 0; i < 50 && recorder.deliveries.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(recorder.deliveries.map((d) => d.status)).toEqual([200]);
    expect((await getCapture(service.url, pending.id)).body.status).toBe('succeeded');

    await service.close();
    ({ stdout } = await service.exited);
    spans = receiver.spans();
  });

  afterAll(async () => {
    await service?.close();
    await Promise.all([providers?.close(), receiver?.close(), proxy?.close(), recorder?.close()]);
    await destroy?.();
  });

  async function captureWithTraceparent(body: unknown) {
    const response = await fetch(`${service.url}/v1/captures`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SHOP_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': `e2e-${randomUUID()}`,
        traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
        baggage: 'user.id=u_e2e_123',
      },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { id: string };
    return { status: response.status, id: json.id, requestId: response.headers.get('x-request-id') ?? '' };
  }

  const descendsFrom = (span: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
    for (let at: ReceivedSpan | undefined = span; at;) {
      if (at.spanId === ancestor.spanId) return true;
      const parentSpanId: ReceivedSpan['parentSpanId'] = at.parentSpanId;
      at = spans.find((s) => s.spanId === parentSpanId);
    }
    return false;
  };
  const captureRequest = () =>
    spans.find((s) => s.kind === SERVER && s.attributes['capture_gateway.request_id'] === captureRequestId) as ReceivedSpan;

  test('the exporter posts OTLP/JSON to <endpoint>/v1/traces under the configured service name', () => {
    expect(receiver.requests().length).toBeGreaterThan(0);
    expect(receiver.requests().every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['capture-e2e']));
  });

  test("one trace, the caller's, from the inbound request through its statements and the provider call", () => {
    const request = captureRequest();
    expect(request).toMatchObject({
      traceId: CALLER_TRACE,
      parentSpanId: CALLER_SPAN,
      name: 'POST /v1/captures',
      attributes: { 'http.request.method': 'POST', 'http.route': '/v1/captures', 'http.response.status_code': 201 },
    });
    const inTrace = spans.filter((s) => s.traceId === CALLER_TRACE && descendsFrom(s, request));
    const provider = inTrace.find((s) => s.name === 'capture paymentoptions');
    expect(provider).toMatchObject({
      kind: CLIENT,
      attributes: {
        'capture_gateway.plugin.id': 'paymentoptions',
        'capture_gateway.account': 'po-jp',
        'capture_gateway.operation': 'capture',
        'capture_gateway.outcome': 'succeeded',
      },
    });
    const statements = inTrace.filter((s) => s.attributes['db.system'] === 'postgresql');
    expect(statements.length).toBeGreaterThanOrEqual(2);
    expect(statements.every((s) => s.kind === CLIENT && s.attributes['db.system.name'] === 'postgresql')).toBe(true);
    expect(statements.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^(INSERT|UPDATE) /)]));
  });

  test("the provider received the provider-call span's context as its traceparent, and no baggage", () => {
    const provider = spans.find((s) => s.name === 'capture paymentoptions' && descendsFrom(s, captureRequest())) as ReceivedSpan;
    expect(proxy.seen.map((headers) => headers['traceparent'])).toContain(`00-${CALLER_TRACE}-${provider.spanId}-01`);
    // The caller's baggage is its own business, not the payment provider's.
    expect(proxy.seen.map((headers) => headers['baggage'])).toEqual(proxy.seen.map(() => undefined));
  });

  test("the webhook's handling has its span, under the webhook request's span, with the plugin and counts", () => {
    const webhook = spans.find((s) => s.name === 'webhook receive') as ReceivedSpan;
    expect(webhook.attributes).toMatchObject({
      'capture_gateway.account': 'pe-us',
      'capture_gateway.plugin.id': 'payengine',
      'capture_gateway.webhook.updates': 1,
      'capture_gateway.webhook.refused': 0,
    });
    const request = spans.find((s) => s.spanId === webhook.parentSpanId);
    expect(request).toMatchObject({ kind: SERVER, name: 'POST /v1/webhooks/:account', attributes: { 'http.response.status_code': 200 } });
    expect(spans.some((s) => s.parentSpanId === webhook.spanId && s.attributes['db.system'] === 'postgresql')).toBe(true);
  });

  test('no configured secret or card number appears anywhere in what was exported', () => {
    const exported = receiver.rawBodies().join('\n');
    expect(exported.length).toBeGreaterThan(0);
    for (const value of [...secrets, SANDBOX_CARD]) expect(exported).not.toContain(value);
  });

  test("the capture request's log lines carry the caller's trace id", () => {
    const lines = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = lines.find((l) => l['message'] === 'request completed' && l['requestId'] === captureRequestId);
    expect(completed).toMatchObject({ trace_id: CALLER_TRACE, span_id: captureRequest().spanId });
  });
});

describe('a collector that is down', () => {
  test('costs the shutdown at most its flush limit: exit 0, one line saying the last traces were dropped', async () => {
    const providers = await startRealProviders(WEBHOOK_SECRET);
    const db = await embeddedBackend.create();
    const closed = await startOtlpReceiver();
    await closed.close(); // its port now refuses connections
    try {
      const config = providers.config(db.database, [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: '*' }]);
      const service = await startProcess(writeConfig(config), {
        ...providers.env,
        SHOP_API_KEY: SHOP_KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT: closed.url,
      });
      expect((await call(service.url, 'GET', '/v1/providers')).status).toBe(200);
      const started = performance.now();
      await service.close();
      const { code, stdout } = await service.exited;
      expect(code).toBe(0);
      expect(stdout).toContain('could not send its last traces to the OTLP endpoint');
      expect(stdout).toContain('"message":"capture-api stopped"');
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await providers.close();
      await db.destroy();
    }
  }, 30_000);
});
