import type { CaptureUpdate } from '@capture-gateway/plugin-sdk';
import { type RunningServer, createMemoryLogger, startSandboxServer } from '@capture-gateway/plugin-sdk/testing';
import { payEnginePlugin } from '../lib/payengine.plugin';
import { type PayEngineSandbox, startPayEngineSandbox } from './payengine.sandbox';

const WEBHOOK_SECRET = 'whsec_sandbox_spec';

/** A stand-in for the service's webhook endpoint: hands each delivery to the plugin, answers 200 or 401. */
async function startReceiver(handleWebhook: NonNullable<ReturnType<typeof payEnginePlugin.create>['handleWebhook']>) {
  const updates: CaptureUpdate[] = [];
  const refusals: string[] = [];
  let arrived: () => void = () => undefined;
  const next = () => new Promise<void>((resolve) => (arrived = resolve));
  const server = await startSandboxServer(async (request) => {
    try {
      updates.push(...(await handleWebhook({ headers: request.headers, rawBody: request.rawBody, receivedAt: new Date() })));
      return { status: 200 };
    } catch (error) {
      refusals.push((error as { reason?: string }).reason ?? String(error));
      return { status: 401 };
    } finally {
      setImmediate(arrived);
    }
  });
  return { server, updates, refusals, next };
}

describe('PayEngine sandbox', () => {
  let sandbox: PayEngineSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let provider: ReturnType<typeof payEnginePlugin.create>;

  beforeAll(async () => {
    const config = (baseUrl: string) =>
      payEnginePlugin.configSchema.parse({ baseUrl, secretKey: 'sandbox-secret-key', webhookSecret: WEBHOOK_SECRET });
    const placeholder = config('http://127.0.0.1:9');
    const webhookSide = payEnginePlugin.create(placeholder, { accountId: 'acct', logger: createMemoryLogger(), timeoutMs: 2_000 });
    const { handleWebhook } = webhookSide;
    if (!handleWebhook) throw new Error('the PayEngine plugin must handle webhooks');
    receiver = await startReceiver(handleWebhook);
    sandbox = await startPayEngineSandbox({ webhook: { url: receiver.server.baseUrl, secret: WEBHOOK_SECRET, delayMs: 20 } });
    provider = payEnginePlugin.create(config(sandbox.baseUrl), { accountId: 'acct', logger: createMemoryLogger(), timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await sandbox?.close();
    await (receiver?.server as RunningServer | undefined)?.close();
  });
  beforeEach(() => sandbox.reset());

  const capture = (authorisationId: string, amount = 2_500) =>
    provider.capture({ captureId: 'cap_sandbox001', authorisationId, amount: { amount, currency: 'USD' }, options: undefined });

  it('settles a pending- capture with a signed PASS webhook the plugin accepts', async () => {
    const delivered = receiver.next();
    await expect(capture('pending-3ds-1')).resolves.toMatchObject({ status: 'pending', card: { last4: '1111' } });
    await delivered;
    expect(receiver.refusals).toEqual([]);
    expect(receiver.updates.at(-1)).toMatchObject({
      authorisationId: 'pending-3ds-1',
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
      outcome: { status: 'succeeded', capturedAmount: { amount: 2_500, currency: 'USD' }, card: { last4: '1111' } },
    });
  });

  it('sends a FAIL webhook on request and reports the status the receiver answered', async () => {
    sandbox.authorise('p-fail-1', { amount: 700, currency: 'USD' });
    sandbox.setWebhookTarget(receiver.server.baseUrl, WEBHOOK_SECRET);
    await capture('p-fail-1', 700);
    await expect(sandbox.sendWebhook('p-fail-1', 'FAIL')).resolves.toBe(200);
    expect(receiver.updates.at(-1)).toMatchObject({
      authorisationId: 'p-fail-1',
      outcome: { status: 'failed', error: { code: 'provider_declined' } },
    });
  });

  it("signs with the target's secret: a receiver with another secret refuses the delivery", async () => {
    await capture('signed-1');
    sandbox.setWebhookTarget(receiver.server.baseUrl, 'whsec_someone_else');
    await expect(sandbox.sendWebhook('signed-1')).resolves.toBe(401);
    expect(receiver.refusals.at(-1)).toBe('bad_signature');
    sandbox.setWebhookTarget(receiver.server.baseUrl, WEBHOOK_SECRET);
  });

  it('answers the magic ids as documented', async () => {
    await expect(capture('decline-1')).resolves.toMatchObject({
      status: 'failed',
      error: { code: 'provider_declined', provider: { code: 'D0005' } },
    });
    await expect(capture('notfound-1')).resolves.toMatchObject({ status: 'failed', error: { code: 'authorisation_not_found' } });
    await expect(capture('error-1')).resolves.toMatchObject({ status: 'unknown', error: { code: 'provider_unavailable' } });
    await expect(capture('garbage-1')).resolves.toMatchObject({ status: 'unknown', error: { code: 'provider_response_invalid' } });
    expect(sandbox.capturesReceived()).toBe(4);
  });

  it('refuses a request without the secret key with 401', async () => {
    const response = await fetch(`${sandbox.baseUrl}/api/payment/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', data: {} }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized', message: 'Invalid or missing secret key' });
  });
});
