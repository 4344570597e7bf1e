import { type StripeSandbox, startStripeSandbox } from '@capture-gateway/provider-stripe/sandbox';
import {
  capture,
  type DatabaseSettings,
  getCapture,
  historyOf,
  postgresBackend,
  type ServiceProcess,
  SHOP_KEY,
  startProcess,
  writeConfig,
} from '@capture-gateway/e2e-support';

const WRONG_SECRET = 'whsec_not_the_endpoints_secret0123';

// The Stripe plugin, loaded by its workspace name, against its sandbox, through the service on
// PostgreSQL with a reconciler on a fast schedule: the first check of a capture in doubt 1 s after
// its answer (a timeout of 1 s), pending captures left to their webhooks (checked after 60 s).
describe('Stripe through the service', () => {
  let sandbox: StripeSandbox;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;
  const stamp = Date.now();

  // The config of one service on its own database; `maxResends` 0 leaves doubt to the status check.
  const configOf = (database: DatabaseSettings, maxResends?: number) =>
    writeConfig({
      database,
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
      reconciler: { intervalMs: 200, leaseSeconds: 5, backoffSeconds: [1], ...(maxResends === undefined ? {} : { maxResends }) },
    });
  const env = () => ({
    STRIPE_SECRET_KEY: sandbox.accountSettings.secretKey,
    STRIPE_WEBHOOK_SECRET: sandbox.accountSettings.webhookSecret,
    SHOP_API_KEY: SHOP_KEY,
  });

  beforeAll(async () => {
    sandbox = await startStripeSandbox({ webhookDelayMs: 300 });
    const db = await postgresBackend.create();
    destroy = db.destroy;
    service = await startProcess(configOf(db.database), env());
    sandbox.setWebhookTarget(`${service.url}/v1/webhooks/stripe-eu`);
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  const read = async (id: string, url = service.url) => (await getCapture(url, id)).body;
  const history = (id: string, url = service.url) => historyOf(url, id);
  async function settles(id: string, to: string, withinMs = 20_000, url = service.url) {
    const until = Date.now() + withinMs;
    for (;;) {
      const record = await read(id, url);
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

  test('Stripe captures, then the connection drops: unknown, re-sent with the same key, the original answer replayed, captured once', async () => {
    const authorisationId = `drop-${stamp}`;
    sandbox.authorise(authorisationId, { amount: 4_200, currency: 'EUR' });
    const created = await capture(service.url, { account: 'stripe-eu', authorisationId, amount: { amount: 4_200, currency: 'EUR' } });
    expect(created).toMatchObject({ status: 202, body: { status: 'unknown' } });
    // Stripe did capture, and keeps the answer for the request's Idempotency-Key.
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
    const charge = sandbox.intent(authorisationId)?.latest_charge;
    const sentBefore = sandbox.capturesReceived();
    const settled = await settles(created.body.id, 'succeeded');
    expect(settled).toMatchObject({
      capturedAmount: { amount: 4_200, currency: 'EUR' },
      providerReferences: { captureId: charge, other: { payment_intent: authorisationId } },
    });
    expect(await history(created.body.id)).toEqual(['unknown:api', 'resend#1:succeeded', 'succeeded:reconciler']);
    // One re-send reached Stripe; it performed nothing (a replay), so the intent was captured once.
    expect(sandbox.capturesReceived() - sentBefore).toBe(1);
    expect(sandbox.capturesOf(authorisationId)).toBe(1);
    expect(sandbox.intent(authorisationId)).toMatchObject({ amount_received: 4_200, status: 'succeeded' });
  });

  test('with re-sends off (maxResends 0), a lost answer is settled by the status check alone: nothing sent again', async () => {
    const db = await postgresBackend.create();
    const checking = await startProcess(configOf(db.database, 0), env());
    try {
      const authorisationId = `timeout-check-${stamp}`;
      const created = await capture(checking.url, { account: 'stripe-eu', authorisationId, amount: { amount: 2_500, currency: 'USD' } });
      expect(created).toMatchObject({ status: 202, body: { status: 'unknown', error: { code: 'provider_timeout' } } });
      const sentBefore = sandbox.capturesReceived();
      const settled = await settles(created.body.id, 'succeeded', 20_000, checking.url);
      expect(settled).toMatchObject({ capturedAmount: { amount: 2_500, currency: 'USD' } });
      expect(await history(created.body.id, checking.url)).toEqual(['unknown:api', 'check#1:found', 'succeeded:reconciler']);
      expect(sandbox.capturesReceived()).toBe(sentBefore);
      expect(sandbox.capturesOf(authorisationId)).toBe(1);
    } finally {
      await checking.close();
      await db.destroy();
    }
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
