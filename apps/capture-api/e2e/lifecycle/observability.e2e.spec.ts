import type { PayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import type { PaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import {
  afterPending,
  call,
  capture,
  embeddedBackend,
  forward,
  getCapture,
  getHistory,
  OTHER_KEY,
  type RealProviders,
  type ServiceProcess,
  SHOP_KEY,
  startProcess,
  startRealProviders,
  startWebhookRecorder,
  type WebhookRecorder,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ProvidersResponse } from '@capture-gateway/client';

const WEBHOOK_SECRET = 'whsec_e2e_logs_0123456789';
const SANDBOX_CARD = '5200000000001005';

// Both real providers through their sandboxes at LOG_LEVEL=debug: success, decline, pending settled by
// a signed webhook, that webhook replayed, a forged one. Then the whole of stdout and stderr is searched
// for every configured secret and the sandbox's full card number.
describe('logs, webhooks and operations with the real providers', () => {
  let po: PaymentOptionsSandbox;
  let pe: PayEngineSandbox;
  let providers: RealProviders;
  let recorder: WebhookRecorder;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  let secrets: string[];
  const stamp = `obs-${Date.now()}`;

  beforeAll(async () => {
    providers = await startRealProviders(WEBHOOK_SECRET);
    ({ po, pe } = providers);
    const db = await embeddedBackend.create();
    destroy = db.destroy;
    const configPath = writeConfig(
      providers.config(db.database, [
        { id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: '*' },
        { id: 'other', apiKey: { env: 'OTHER_API_KEY' }, accounts: ['po-jp'] },
      ]),
    );
    const env = { ...providers.env, SHOP_API_KEY: SHOP_KEY, OTHER_API_KEY: OTHER_KEY, LOG_LEVEL: 'debug' };
    secrets = [po.credentials.authorizationKey, po.credentials.apiKey, pe.credentials, WEBHOOK_SECRET, SHOP_KEY, OTHER_KEY];
    service = await startProcess(configPath, env);
    recorder = await startWebhookRecorder(() => `${service.url}/v1/webhooks/pe-us`);
    pe.setWebhookTarget(recorder.url, WEBHOOK_SECRET);
  });

  afterAll(async () => {
    await service?.close();
    await Promise.all([providers?.close(), recorder?.close()]);
    await destroy?.();
  });

  const firstDelivery = () => {
    const delivery = recorder.deliveries[0];
    if (!delivery) throw new Error('the sandbox delivered no webhook');
    return delivery;
  };
  const history = async (id: string) => (await getHistory(service.url, id)).body.data;

  test('the pending path: 202 pending, the sandbox sends PAYMENT_CAPTURED, GET shows succeeded; a replay of that delivery is a 200 no-op', async () => {
    const pending = await capture(service.url, {
      account: 'pe-us',
      authorisationId: `pending-${stamp}`,
      amount: { amount: 700, currency: 'USD' },
    });
    expect(pending).toMatchObject({ status: 202, body: { status: 'pending' } });
    const record = await afterPending(service.url, pending.body, 50);
    expect(record.status).toBe('succeeded');
    expect(recorder.deliveries).toHaveLength(1);
    expect(recorder.deliveries[0]?.status).toBe(200);
    const trail = await history(record.id);
    expect(trail.map((c) => `${c.to}:${c.source}`)).toEqual(['unknown:api', 'pending:api', 'succeeded:webhook']);

    const { headers, body } = firstDelivery();
    expect(await forward(`${service.url}/v1/webhooks/pe-us`, headers, body)).toBe(200);
    expect(await history(record.id)).toEqual(trail);
    expect((await getCapture(service.url, record.id)).body).toEqual(record);
  });

  test('a forged delivery is 401 and changes nothing', async () => {
    // The sandbox's genuine delivery for this capture would settle it; keep it back so only the forgery arrives.
    recorder.withhold(`pending-forged-${stamp}`);
    const pending = await capture(service.url, {
      account: 'pe-us',
      authorisationId: `pending-forged-${stamp}`,
      amount: { amount: 300, currency: 'USD' },
    });
    const { headers, body } = firstDelivery();
    const tampered = Buffer.from(body.toString().replace(/"payment_id":"[^"]+"/, `"payment_id":"pending-forged-${stamp}"`));
    expect(await forward(`${service.url}/v1/webhooks/pe-us`, headers, tampered)).toBe(401);
    const unsigned = await call(service.url, 'POST', '/v1/webhooks/pe-us', { body: { event: 'PAYMENT_CAPTURED' }, key: null });
    expect(unsigned).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' }, requestId: expect.any(String) } });
    expect((await history(pending.body.id)).map((c) => c.to)).toEqual(['unknown', 'pending']);
  });

  test('PaymentOptions success and decline; another client cannot see them', async () => {
    po.authorise(`txn-${stamp}`, { amount: 1000, currency: 'JPY' });
    const ok = await capture(service.url, { account: 'po-jp', authorisationId: `txn-${stamp}`, amount: { amount: 1000, currency: 'JPY' } });
    expect(ok.status).toBe(201);
    const declined = await capture(service.url, {
      account: 'po-jp',
      authorisationId: `decline-${stamp}`,
      amount: { amount: 500, currency: 'JPY' },
    });
    expect(declined.status).toBe(402);
    const pe2 = await capture(service.url, { account: 'pe-us', authorisationId: `pay-${stamp}`, amount: { amount: 500, currency: 'USD' } });
    expect(pe2.status).toBe(201);
    expect((await getCapture(service.url, pe2.body.id, { key: OTHER_KEY })).status).toBe(404);
    expect((await call(service.url, 'GET', '/v1/captures', { key: null })).status).toBe(401);
  });

  test('operations: ready, metrics with capture counts and provider latency, providers without secrets', async () => {
    expect((await call(service.url, 'GET', '/health/ready', { key: null })).body).toMatchObject({ status: 'ready' });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/captures_total\{account="po-jp",provider="paymentoptions",outcome="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/captures_total\{account="po-jp",provider="paymentoptions",outcome="failed"\} [1-9]/);
    expect(metrics).toMatch(/provider_request_duration_seconds_bucket\{le="\+Inf",provider="payengine",outcome="pending"\} [1-9]/);
    expect(metrics).toMatch(/capture_webhook_updates_total\{account="pe-us",provider="payengine",outcome="succeeded"\} 1/);
    const providers = await call<ProvidersResponse>(service.url, 'GET', '/v1/providers', { key: OTHER_KEY });
    // Only the plugins of the caller's accounts: this client has none on PayEngine.
    expect(providers.body.data.map((p) => `${p.id}:${p.accounts.join(',')}`)).toEqual(['paymentoptions:po-jp']);
    const doc = await call<{ components: { schemas: Record<string, unknown> } }>(service.url, 'GET', '/openapi.json', { key: null });
    expect(Object.keys(doc.body.components.schemas)).toEqual(expect.arrayContaining(['ProviderOptions_payengine']));
  });

  test('no log line holds a configured secret or the full card number; lines are JSON with request ids', async () => {
    await service.close();
    const { stdout, stderr } = await service.exited;
    const output = `${stdout}\n${stderr}`;
    for (const value of [...secrets, SANDBOX_CARD]) expect({ value, found: output.includes(value) }).toEqual({ value, found: false });
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line['message'] === 'request completed');
    expect(requests.length).toBeGreaterThan(10);
    for (const line of requests) expect(line['requestId']).toEqual(expect.any(String));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'webhook refused', reason: expect.any(String) }));
    expect(lines.some((line) => line['plugin'] === 'paymentoptions' || line['plugin'] === 'payengine')).toBe(true);
  });
});
