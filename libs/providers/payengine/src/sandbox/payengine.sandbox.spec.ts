import { createMemoryLogger, startWebhookReceiver, type WebhookReceiver } from '@capture-gateway/plugin-sdk/testing';
import { payEnginePlugin } from '../lib/payengine.plugin';
import { type PayEngineSandbox, startPayEngineSandbox } from './payengine.sandbox';

const WEBHOOK_SECRET = 'whsec_sandbox_spec';

describe('PayEngine sandbox', () => {
  let sandbox: PayEngineSandbox;
  let receiver: WebhookReceiver;
  let provider: ReturnType<typeof payEnginePlugin.create>;
  const config = (baseUrl: string) =>
    payEnginePlugin.configSchema.parse({ baseUrl, secretKey: 'sandbox-secret-key', webhookSecret: WEBHOOK_SECRET });

  beforeAll(async () => {
    // The SDK's stand-in for the service's webhook endpoint: each delivery goes to the plugin.
    receiver = await startWebhookReceiver(() => provider);
    sandbox = await startPayEngineSandbox({ webhookUrl: receiver.url, webhookSecret: WEBHOOK_SECRET, webhookDelayMs: 20 });
    provider = payEnginePlugin.create(config(sandbox.baseUrl), { accountId: 'acct', logger: createMemoryLogger(), timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await sandbox?.close();
    await receiver?.close();
  });
  beforeEach(() => sandbox.reset());

  const capture = (authorisationId: string, amount = 2_500) =>
    provider.capture({ captureId: 'cap_sandbox001', authorisationId, amount: { amount, currency: 'USD' }, options: undefined });

  it('settles a pending- capture with a signed PASS webhook the plugin accepts', async () => {
    await expect(capture('pending-3ds-1')).resolves.toMatchObject({ status: 'pending', card: { last4: '1111' } });
    await receiver.waitFor((update) => update.authorisationId === 'pending-3ds-1', 5_000);
    expect(receiver.refusals).toEqual([]);
    expect(receiver.updates.at(-1)).toMatchObject({
      authorisationId: 'pending-3ds-1',
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
      outcome: { status: 'succeeded', capturedAmount: { amount: 2_500, currency: 'USD' }, card: { last4: '1111' } },
    });
  });

  it('sends a FAIL webhook on request and reports the status the receiver answered', async () => {
    sandbox.authorise('p-fail-1', { amount: 700, currency: 'USD' });
    sandbox.setWebhookTarget(receiver.url, WEBHOOK_SECRET);
    await capture('p-fail-1', 700);
    await expect(sandbox.sendWebhook('p-fail-1', 'FAIL')).resolves.toBe(200);
    expect(receiver.updates.at(-1)).toMatchObject({
      authorisationId: 'p-fail-1',
      outcome: { status: 'failed', error: { code: 'provider_declined' } },
    });
  });

  it("signs with the target's secret: a receiver with another secret refuses the delivery", async () => {
    await capture('signed-1');
    sandbox.setWebhookTarget(receiver.url, 'whsec_someone_else');
    await expect(sandbox.sendWebhook('signed-1')).resolves.toBe(401);
    expect(receiver.refusals.at(-1)).toBe('bad_signature');
    sandbox.setWebhookTarget(receiver.url, WEBHOOK_SECRET);
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
