import { type StripeSandbox, startStripeSandbox } from '@capture-gateway/provider-stripe/sandbox';
import {
  call,
  capture,
  defined,
  type FakeSandbox,
  historyOf,
  type MultiCaptureServices,
  postgresBackend,
  readAuthorisation,
  type ServiceProcess,
  SHOP_KEY,
  startMultiCaptureServices,
  startProcess,
  usd,
  writeConfig,
} from '@capture-gateway/e2e-support';
import type { ApiErrorBody, Capture } from '@capture-gateway/client';

const OPS_KEY = 'ops_key_multicapture_0123456789';
const ops = { id: 'ops', keys: [{ key: { env: 'OPS_KEY' }, scopes: ['ops:read', 'captures:read'] }], accounts: '*' };

// An authorisation of 100.00 captured in three parts through the service: 30 and 50 not final, then
// 20 final. `sent()` counts the capture requests the provider's sandbox received, so a refusal can be
// shown to have sent nothing.
interface Provider {
  name: string;
  account: string;
  authorise(authorisationId: string): void;
  sent(): number;
}

function threeParts(provider: () => Provider, service: () => ServiceProcess) {
  const stamp = Date.now();
  const authorisedAmount = usd(10_000);
  const part = <T = Capture>(authorisationId: string, amount: number, final: boolean) =>
    capture<T>(service().url, { account: provider().account, authorisationId, amount: usd(amount), authorisedAmount, final });

  test('30 + 50 not final, then 20 final: total 100.00, closed; a fourth is authorisation_closed, nothing sent', async () => {
    const authorisationId = `pi_parts_${stamp}`;
    provider().authorise(authorisationId);
    const replies = [];
    for (const [amount, final] of [
      [3_000, false],
      [5_000, false],
      [2_000, true],
    ] as const) {
      replies.push(await part(authorisationId, amount, final));
    }
    for (const [i, amount] of [3_000, 5_000, 2_000].entries()) {
      expect(replies[i]).toMatchObject({ status: 201, body: { status: 'succeeded', capturedAmount: usd(amount) } });
    }
    const view = await readAuthorisation(service().url, provider().account, authorisationId);
    expect(view).toMatchObject({ authorisedAmount, closed: true, capturedTotal: [usd(10_000)] });
    expect(view.captures.map((c) => c.id).sort()).toEqual(replies.map((r) => r.body.id).sort());

    const before = provider().sent();
    const fourth = await part(authorisationId, 100, true);
    expect(fourth).toMatchObject({ status: 409, body: { error: { code: 'authorisation_closed', param: 'authorisationId' } } });
    expect(provider().sent()).toBe(before);
    expect(await readAuthorisation(service().url, provider().account, authorisationId)).toMatchObject({ capturedTotal: [usd(10_000)] });
  });

  test('a capture past what is left is amount_exceeds_authorisation, with nothing sent; what fits is still taken', async () => {
    const authorisationId = `pi_over_${stamp}`;
    provider().authorise(authorisationId);
    expect(await part(authorisationId, 6_000, false)).toMatchObject({ status: 201, body: { status: 'succeeded' } });
    const before = provider().sent();
    const over = await part<ApiErrorBody>(authorisationId, 4_001, true);
    expect(over).toMatchObject({ status: 422, body: { error: { code: 'amount_exceeds_authorisation', param: 'amount.amount' } } });
    expect(over.body.error.message).toContain('40.00');
    expect(provider().sent()).toBe(before);
    expect(await readAuthorisation(service().url, provider().account, authorisationId)).toMatchObject({
      closed: false,
      capturedTotal: [usd(6_000)],
    });
    expect(await part(authorisationId, 4_000, true)).toMatchObject({ status: 201, body: { status: 'succeeded' } });
    expect(await readAuthorisation(service().url, provider().account, authorisationId)).toMatchObject({
      closed: true,
      capturedTotal: [usd(10_000)],
    });
  });
}

describe('several captures of one authorisation: the multi-capture fixture plugin', () => {
  let running: MultiCaptureServices;
  let sandbox: FakeSandbox;
  let service: ServiceProcess;

  beforeAll(async () => {
    running = await startMultiCaptureServices();
    sandbox = running.sandbox;
    service = defined(running.services[0], 'the service process');
  });

  afterAll(() => running?.close());

  threeParts(
    () => ({ name: 'fake-multi', account: 'multi-us', authorise: () => undefined, sent: () => sandbox.totalCaptures() }),
    () => service,
  );
});

describe("several captures of one authorisation: Stripe's sandbox (final_capture=false)", () => {
  let sandbox: StripeSandbox;
  let service: ServiceProcess;
  let destroy: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startStripeSandbox();
    const db = await postgresBackend.create();
    destroy = db.destroy;
    const config = {
      database: db.database,
      plugins: [{ module: '@capture-gateway/provider-stripe' }],
      accounts: [
        {
          id: 'stripe-eu',
          plugin: 'stripe',
          timeoutMs: 2_000,
          settings: { baseUrl: sandbox.baseUrl, secretKey: { env: 'STRIPE_SECRET_KEY' }, webhookSecret: { env: 'STRIPE_WEBHOOK_SECRET' } },
        },
      ],
      clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['stripe-eu'] }, ops],
    };
    service = await startProcess(writeConfig(config), {
      STRIPE_SECRET_KEY: sandbox.accountSettings.secretKey,
      STRIPE_WEBHOOK_SECRET: sandbox.accountSettings.webhookSecret,
      SHOP_API_KEY: SHOP_KEY,
      OPS_KEY,
    });
    sandbox.setWebhookTarget(`${service.url}/v1/webhooks/stripe-eu`);
  });

  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    await destroy?.();
  });

  threeParts(
    () => ({
      name: 'stripe',
      account: 'stripe-eu',
      authorise: (id) => sandbox.authorise(id, usd(10_000)),
      sent: () => sandbox.capturesReceived(),
    }),
    () => service,
  );

  test("each capture records its own amount, not the intent's running total; Stripe's webhooks raise no flag", async () => {
    const authorisationId = `pi_own_${Date.now()}`;
    sandbox.authorise(authorisationId, usd(10_000));
    const ids: string[] = [];
    for (const [amount, final] of [
      [3_000, false],
      [5_000, false],
      [2_000, true],
    ] as const) {
      const reply = await capture(service.url, {
        account: 'stripe-eu',
        authorisationId,
        amount: usd(amount),
        authorisedAmount: usd(10_000),
        final,
      });
      expect(reply.body).toMatchObject({ status: 'succeeded', capturedAmount: usd(amount) });
      ids.push(reply.body.id);
    }
    // Stripe's intent carries the running total (amount_received 10000) and one latest charge.
    expect(sandbox.intent(authorisationId)).toMatchObject({ amount_received: 10_000, status: 'succeeded' });
    expect(sandbox.capturesOf(authorisationId)).toBe(3);
    // Its events about the intent report that total; none of the three captures may be flagged by it.
    expect(await sandbox.sendWebhook('payment_intent.succeeded', authorisationId)).toBe(200);
    expect(await sandbox.sendWebhook('charge.captured', authorisationId)).toBe(200);
    for (const [i, amount] of [3_000, 5_000, 2_000].entries()) {
      const id = ids[i] ?? '';
      expect((await call(service.url, 'GET', `/v1/captures/${id}`)).body).toMatchObject({
        status: 'succeeded',
        capturedAmount: usd(amount),
      });
      expect(await historyOf(service.url, id)).toEqual(['unknown:api', 'succeeded:api']);
    }
    const attention = await call(service.url, 'GET', '/v1/ops/attention', { key: OPS_KEY });
    expect(attention).toMatchObject({ status: 200, body: { data: [] } });
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    expect(metrics).not.toMatch(/^capture_flags_total\{[^}]*\} [1-9]/m);
  });
});
