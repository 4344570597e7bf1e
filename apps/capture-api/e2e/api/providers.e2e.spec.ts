import type { PayEngineSandbox } from '@capture-gateway/provider-payengine/sandbox';
import type { PaymentOptionsSandbox } from '@capture-gateway/provider-paymentoptions/sandbox';
import {
  afterPending,
  BACKENDS,
  call,
  capture,
  getHistory,
  type RealProviders,
  type ServiceProcess,
  SHOP_KEY,
  startProcess,
  startRealProviders,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody } from '@capture-gateway/client';

const WEBHOOK_SECRET = 'whsec_e2e_0123456789';

// The real plugins, loaded by their workspace names, against their sandboxes.
describe.each(BACKENDS)('the real providers through the service on $name', (backend) => {
  let po: PaymentOptionsSandbox;
  let pe: PayEngineSandbox;
  let providers: RealProviders;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  const stamp = `${backend.name}-${Date.now()}`;

  beforeAll(async () => {
    providers = await startRealProviders(WEBHOOK_SECRET);
    ({ po, pe } = providers);
    const db = await backend.create();
    destroy = db.destroy;
    const configPath = writeConfig(providers.config(db.database, [{ id: 'shop', apiKey: SHOP_KEY, accounts: '*' }]));
    service = await startProcess(configPath, providers.env);
    pe.setWebhookTarget(`${service.url}/v1/webhooks/pe-us`, WEBHOOK_SECRET);
  });

  afterAll(async () => {
    await service?.close();
    await providers?.close();
    await destroy?.();
  });

  test('PaymentOptions: a capture succeeds, a decline is 402 with the provider code, a second capture is refused', async () => {
    po.authorise(`txn-${stamp}`, { amount: 1000, currency: 'JPY' });
    const ok = await capture(
      service.url,
      { account: 'po-jp', authorisationId: `txn-${stamp}`, amount: { amount: 1000, currency: 'JPY' } },
      `po-${stamp}`,
    );
    expect(ok).toMatchObject({
      status: 201,
      body: { provider: 'paymentoptions', status: 'succeeded', capturedAmount: { amount: 1000, currency: 'JPY' } },
    });
    const declined = await capture<ApiErrorBody>(service.url, {
      account: 'po-jp',
      authorisationId: `decline-${stamp}`,
      amount: { amount: 500, currency: 'JPY' },
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('provider_declined');
    expect(declined.body.error.provider?.code).toEqual(expect.any(String));
    const before = po.capturesReceived();
    const again = await capture<ApiErrorBody>(service.url, {
      account: 'po-jp',
      authorisationId: `txn-${stamp}`,
      amount: { amount: 1000, currency: 'JPY' },
    });
    expect(again.body.error.code).toBe('already_captured');
    expect(po.capturesReceived()).toBe(before);
    expect(JSON.stringify([ok.body, declined.body])).not.toContain(po.credentials.apiKey);
  });

  test('PaymentOptions: a timeout leaves an unknown record (202)', async () => {
    const reply = await capture(service.url, {
      account: 'po-jp',
      authorisationId: `timeout-${stamp}`,
      amount: { amount: 100, currency: 'JPY' },
    });
    expect(reply).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'provider_timeout' } } });
  });

  test('PayEngine: full capture without an amount, providerOptions validated by the plugin', async () => {
    const full = await capture(service.url, { account: 'pe-us', authorisationId: `pay-${stamp}` });
    expect(full).toMatchObject({ status: 201, body: { provider: 'payengine', status: 'succeeded' } });
    const fees = await capture(service.url, {
      account: 'pe-us',
      authorisationId: `pay2-${stamp}`,
      amount: { amount: 2500, currency: 'USD' },
      providerOptions: { preSettlementFeeCharge: 25 },
    });
    expect(fees.status).toBe(201);
    const bad = await capture<ApiErrorBody>(service.url, {
      account: 'pe-us',
      authorisationId: `pay3-${stamp}`,
      amount: { amount: 2500, currency: 'USD' },
      providerOptions: { surcharge: 1 },
    });
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', param: expect.stringMatching(/^providerOptions/) });
    const eur = await capture<ApiErrorBody>(service.url, {
      account: 'pe-us',
      authorisationId: `pay4-${stamp}`,
      amount: { amount: 2500, currency: 'EUR' },
    });
    expect(eur.body.error.code).toBe('unsupported_by_provider');
  });

  test('PayEngine: a pending capture (202) is settled by the signed webhook, recorded as such', async () => {
    const pending = await capture(service.url, {
      account: 'pe-us',
      authorisationId: `pending-${stamp}`,
      amount: { amount: 700, currency: 'USD' },
    });
    expect(pending).toMatchObject({ status: 202, body: { status: 'pending' } });
    const record = await afterPending(service.url, pending.body, 40);
    expect(record.status).toBe('succeeded');
    const history = await getHistory(service.url, pending.body.id);
    expect(history.body.data.map((c) => `${c.to}:${c.source}`)).toEqual(['unknown:api', 'pending:api', 'succeeded:webhook']);
    const forged = await call(service.url, 'POST', '/v1/webhooks/pe-us', { body: { event: 'PAYMENT_CAPTURED' }, key: null });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
  });
});
