import { randomBytes } from 'node:crypto';
import { PAYENGINE_SIGNATURE_HEADER, signPayEngineWebhook } from '@capture-gateway/provider-payengine/sandbox';
import {
  type AttentionPage,
  call,
  capture,
  defined,
  getCapture,
  historyOf,
  postgresBackend,
  type RealProviders,
  type ServiceProcess,
  SHOP_KEY,
  startProcess,
  startRealProviders,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';

const WEBHOOK_SECRET = 'pe_whsec_over_capture_0123456789';
const OPS_KEY = 'ops_key_over_capture_0123456789';

// A signed PayEngine PAYMENT_CAPTURED reporting 999.00 processed on a 150.00 capture: never applied.
// The sandbox has no webhook target, so its own PASS delivery never comes; the test signs its own.
describe('a PayEngine webhook reporting more than was asked (PostgreSQL)', () => {
  let providers: RealProviders;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;

  beforeAll(async () => {
    providers = await startRealProviders(WEBHOOK_SECRET);
    const db = await postgresBackend.create();
    destroy = db.destroy;
    const ops = {
      id: 'ops',
      keys: [{ id: 'on-call', key: { env: 'OPS_KEY' }, scopes: ['ops:read', 'captures:read', 'captures:resolve'] }],
      accounts: '*',
    };
    const config = providers.config(db.database, [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['pe-us'] }, ops]);
    service = await startProcess(writeConfig(config), { ...providers.env, SHOP_API_KEY: SHOP_KEY, OPS_KEY });
  });

  afterAll(async () => {
    await service?.close();
    await providers?.close();
    await destroy?.();
  });

  const deliver = (paymentId: string, transactionId: string, processed: string) => {
    const rawBody = JSON.stringify({
      event_uid: randomBytes(16).toString('hex'),
      event: 'PAYMENT_CAPTURED',
      data: {
        payment_id: paymentId,
        transaction_id: transactionId,
        capture_response: {
          status: 'PASS',
          response_code: 'A0000',
          response_message: 'Success',
          auth_code: '123456',
          total_amount: processed,
          processed_amount: processed,
          transaction_amount: processed,
          masked_card_number: '1111',
          card_type: 'visa',
        },
      },
    });
    return fetch(`${service.url}/v1/webhooks/pe-us`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PAYENGINE_SIGNATURE_HEADER]: signPayEngineWebhook(rawBody, WEBHOOK_SECRET) },
      body: rawBody,
    });
  };
  const attention = async () =>
    (await call<AttentionPage>(service.url, 'GET', '/v1/ops/attention?account=pe-us', { key: OPS_KEY })).body.data;
  const flagsCounted = async () => {
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    const line = /^capture_flags_total\{([^}]*)\} (\d+)$/m.exec(
      metrics
        .split('\n')
        .filter((l) => l.includes('account="pe-us"'))
        .join('\n'),
    );
    return line ? { labels: line[1], count: Number(line[2]) } : undefined;
  };

  test('999.00 on a pending 150.00: not succeeded, flagged amount_above_requested, counted, on /v1/ops/attention until acknowledged', async () => {
    const paymentId = `pending-over-${Date.now()}`;
    const created = await capture(service.url, { account: 'pe-us', authorisationId: paymentId, amount: usd(15_000) });
    expect(created).toMatchObject({ status: 202, body: { status: 'pending' } });
    const id = created.body.id;
    const transactionId = defined(created.body.providerReferences.captureId, "PayEngine's transaction id");
    expect(transactionId).toBeTruthy();
    expect(await flagsCounted()).toBeUndefined();

    expect((await deliver(paymentId, transactionId, '999.00')).status).toBe(200);

    const record = (await getCapture(service.url, id)).body;
    expect(record.status).toBe('pending');
    expect(record.capturedAmount?.amount).not.toBe(99_900);
    expect(await historyOf(service.url, id)).toEqual(['unknown:api', 'pending:api', 'flag:amount_above_requested']);
    expect(await flagsCounted()).toEqual({ labels: expect.stringContaining('reason="amount_above_requested"'), count: 1 });
    expect(await attention()).toEqual([
      expect.objectContaining({ id, reason: 'amount_above_requested', status: 'pending', requestedAmount: usd(15_000) }),
    ]);

    const acknowledged = await call(service.url, 'POST', `/v1/captures/${id}/acknowledge`, {
      key: OPS_KEY,
      body: { note: 'PayEngine confirmed 150.00; ticket PE-42' },
    });
    expect(acknowledged.status).toBe(200);
    expect(await attention()).not.toContainEqual(expect.objectContaining({ id, reason: 'amount_above_requested' }));
    expect((await historyOf(service.url, id)).at(-1)).toBe('acknowledge:amount_above_requested');
    expect((await getCapture(service.url, id)).body.status).toBe('pending');
  });
});
