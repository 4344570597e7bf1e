import { type StripeSandbox, startStripeSandbox } from '@capture-gateway/provider-stripe/sandbox';
import { postgresBackend } from './support/backends';
import { SHOP_KEY, writeConfig } from './support/config-file';
import { call, capture } from './support/http';
import { type ServiceProcess, startProcess } from './support/service';

const WRONG_SECRET = 'whsec_not_the_endpoints_secret0123';

// The Stripe plugin, loaded by its workspace name, against its sandbox, through the service on
// PostgreSQL with a reconciler on a fast schedule: the first check of a capture in doubt 1 s after
// its answer (a timeout of 1 s), pending captures left to their webhooks (checked after 60 s).
describe('Stripe through the service', () => {
  let sandbox: StripeSandbox;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  const stamp = Date.now();

  beforeAll(async () => {
    sandbox = await startStripeSandbox({ webhookDelayMs: 300 });
    const db = await postgresBackend.create();
    destroy = db.destroy;
    const configPath = writeConfig({
      database: db.database,
      plugins: [{ module: '@capture-gateway/provider-stripe' }],
      accounts: [
        {
          id: 'stripe-eu',
          plugin: 'stripe',
          timeoutMs: 1_000,
          pendingCheckAfterSeconds: 60,
          settings: { baseUrl: sandbox.baseUrl, secretKey: { env: 'STRIPE_SECRET_KEY' }, webhookSecret: { env: 'STRIPE_WEBHOOK_SECRET' } },
        },
      ],
      clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['stripe-eu'] }],
      reconciler: { intervalMs: 200, leaseSeconds: 5, backoffSeconds: [1] },
    });
    service = await startProcess(configPath, {
      STRIPE_SECRET_KEY: sandbox.accountSettings.secretKey,
      STRIPE_WEBHOOK_SECRET: sandbox.accountSettings.webhookSecret,
      SHOP_API_KEY: SHOP_KEY,
    });
    sandbox.setWebhookTarget(`${service.url}/v1/webhooks/stripe-eu`);
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  const read = async (id: string) => (await call(service.url, 'GET', `/v1/captures/${id}`)).body;
  const history = async (id: string) =>
    ((await call(service.url, 'GET', `/v1/captures/${id}/history`)).body.data as Array<Record<string, unknown>>).map((h) =>
      h['kind'] === 'check'
        ? `check#${h['attempt']}:${h['answer']}`
        : h['kind'] === 'resend'
          ? `resend#${h['attempt']}:${h['answerStatus']}`
          : `${h['to']}:${h['source']}`,
    );
  async function settles(id: string, to: string, withinMs = 20_000) {
    const until = Date.now() + withinMs;
    for (;;) {
      const record = await read(id);
      if (record.status === to) return record;
      if (Date.now() > until) throw new Error(`capture ${id} is still ${record.status}, not ${to}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  test('a capture succeeds: 201, the amount captured, the latest charge as the reference', async () => {
    const authorisationId = `pi_ok_${stamp}`;
    // A capture carries no currency at Stripe: the intent's is the one authorised.
    sandbox.authorise(authorisationId, { amount: 1_500, currency: 'EUR' });
    const created = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 1_500, currency: 'EUR' } });
    expect(created).toMatchObject({ status: 201 });
    expect(created.body).toMatchObject({
      provider: 'stripe',
      status: 'succeeded',
      capturedAmount: { amount: 1_500, currency: 'EUR' },
      providerReferences: { captureId: sandbox.intent(authorisationId)?.latest_charge, other: { payment_intent: authorisationId } },
    });
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
  });

  test('a zero-decimal currency is captured in yen, not in hundredths of them', async () => {
    const authorisationId = `pi_yen_${stamp}`;
    sandbox.authorise(authorisationId, { amount: 5_000, currency: 'JPY' });
    const created = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 1_500, currency: 'JPY' } });
    expect(created).toMatchObject({ status: 201, body: { status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'JPY' } } });
    expect(sandbox.intent(authorisationId)).toMatchObject({ amount_received: 1_500, currency: 'jpy' });
  });

  test('a capture whose answer is lost (a timeout) is re-sent by the reconciler with its key: Stripe replays it, captured once', async () => {
    const authorisationId = `timeout-${stamp}`;
    const created = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 2_000, currency: 'USD' } });
    expect(created).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'provider_timeout' } } });
    const settled = await settles(created.body.id, 'succeeded');
    expect(settled).toMatchObject({
      capturedAmount: { amount: 2_000, currency: 'USD' },
      providerReferences: { other: { payment_intent: authorisationId } },
    });
    expect(await history(created.body.id)).toEqual(['unknown:api', 'resend#1:succeeded', 'succeeded:reconciler']);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
  });

  test('a capture lost before Stripe read it, re-sent and lost again, is failed by the status check, freeing the authorisation', async () => {
    const authorisationId = `hangup-${stamp}`;
    const created = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 700, currency: 'USD' } });
    expect(created.body).toMatchObject({ status: 'unknown' });
    const failed = await settles(created.body.id, 'failed');
    expect(failed.error).toMatchObject({ code: 'not_received_by_provider' });
    // Re-sent up to reconciler.maxResends (3) times, each lost; then Stripe is asked, and says it never captured.
    expect(await history(created.body.id)).toEqual([
      'unknown:api',
      'resend#1:unknown',
      'resend#2:unknown',
      'resend#3:unknown',
      'check#1:not_received',
      'failed:reconciler',
    ]);
    expect(sandbox.capturesOf(authorisationId)).toBe(0);
    // Freed: a capture of it is taken again (and lost again: the sandbox keeps hanging up), not already_captured.
    const again = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 700, currency: 'USD' } });
    expect(again).toMatchObject({ status: 202, body: { status: 'unknown' } });
  });

  test('a signed payment_intent.succeeded settles a pending capture; one signed with a wrong secret is refused', async () => {
    const authorisationId = `pending-${stamp}`;
    const created = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 900, currency: 'USD' } });
    expect(created).toMatchObject({ status: 202, body: { status: 'pending' } });
    const forged = await sandbox.sendWebhook('payment_intent.succeeded', authorisationId, { secret: WRONG_SECRET });
    expect(forged).toBe(401);
    // The sandbox's own, signed with the endpoint's secret, follows the capture by 300 ms.
    const settled = await settles(created.body.id, 'succeeded', 10_000);
    expect(settled).toMatchObject({ capturedAmount: { amount: 900, currency: 'USD' } });
    expect(await history(created.body.id)).toEqual(['unknown:api', 'pending:api', 'succeeded:webhook']);
  });
});
