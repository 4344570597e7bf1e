import type { CaptureProvider, ProviderCaptureRequest } from '@capture-gateway/plugin-sdk';
import { createMemoryLogger, startWebhookReceiver } from '@capture-gateway/plugin-sdk/testing';
import { type StripeSandbox, startStripeSandbox } from '../sandbox';
import { stripePlugin } from './stripe.plugin';

// The plugin against its sandbox: Stripe's own situations (idempotency, lost answers, events).
describe('the Stripe plugin against its sandbox', () => {
  let sandbox: StripeSandbox;
  const logger = createMemoryLogger();
  const providerFor = (timeoutMs = 2_000, settings: Record<string, unknown> = {}): CaptureProvider =>
    stripePlugin.create(stripePlugin.configSchema.parse({ ...sandbox.accountSettings, ...settings }), {
      accountId: 'stripe-test',
      logger,
      timeoutMs,
    });
  const request = (
    authorisationId: string,
    amount = 1_500,
    captureId = `cap_${authorisationId.replace(/\W/g, '')}`,
  ): ProviderCaptureRequest<undefined> => ({
    captureId,
    authorisationId,
    amount: { amount, currency: 'USD' },
    options: undefined,
  });
  const checkOf = (r: ProviderCaptureRequest<undefined>) => ({
    captureId: r.captureId,
    authorisationId: r.authorisationId,
    ...(r.amount ? { amount: r.amount } : {}),
  });

  beforeAll(async () => {
    sandbox = await startStripeSandbox({ webhookDelayMs: 50 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('captures once however often the same capture is sent: Stripe replays the first answer to its key', async () => {
    const provider = providerFor();
    const first = await provider.capture(request('pi_idem1'));
    const again = await provider.capture(request('pi_idem1'));
    expect(first).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'USD' } });
    expect(again).toEqual(first);
    expect(sandbox.capturesOf('pi_idem1')).toBe(1);
  });

  it('reads another capture of a captured intent as already_captured (another capture id, another key)', async () => {
    const provider = providerFor();
    await provider.capture(request('pi_twice'));
    expect(await provider.capture(request('pi_twice', 1_500, 'cap_other'))).toMatchObject({
      status: 'failed',
      error: { code: 'already_captured' },
    });
    expect(sandbox.capturesOf('pi_twice')).toBe(1);
  });

  it('never lets one key carry other parameters: Stripe refuses it, and nothing more is captured', async () => {
    const provider = providerFor();
    await provider.capture(request('pi_reuse', 1_000));
    expect(await provider.capture(request('pi_reuse', 1_200))).toMatchObject({
      status: 'failed',
      error: { code: 'internal_error' },
    });
    expect(sandbox.capturesOf('pi_reuse')).toBe(1);
  });

  it('a dropped answer is unknown; the capture was made, and a re-send with its key settles it without capturing again', async () => {
    const provider = providerFor();
    expect(await provider.capture(request('drop-1'))).toMatchObject({ status: 'unknown', error: { code: 'provider_unavailable' } });
    expect(sandbox.capturesOf('drop-1')).toBe(1);
    expect(await provider.checkCapture?.(checkOf(request('drop-1')))).toMatchObject({ status: 'found', outcome: { status: 'succeeded' } });
    expect(await provider.capture(request('drop-1'))).toMatchObject({ status: 'succeeded' });
    expect(sandbox.capturesOf('drop-1')).toBe(1);
  });

  it('a timed-out capture is unknown; the status check finds what Stripe did', async () => {
    expect(await providerFor(300).capture(request('timeout-1'))).toMatchObject({ status: 'unknown', error: { code: 'provider_timeout' } });
    expect(await providerFor().checkCapture?.(checkOf(request('timeout-1')))).toMatchObject({
      status: 'found',
      outcome: { status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'USD' } },
    });
  });

  it('a capture lost before Stripe read it is unknown, and the status check says Stripe never got it', async () => {
    expect(await providerFor().capture(request('hangup-1'))).toMatchObject({ status: 'unknown' });
    expect(sandbox.capturesOf('hangup-1')).toBe(0);
    expect(await providerFor().checkCapture?.(checkOf(request('hangup-1')))).toMatchObject({ status: 'not_received' });
  });

  it('a declined capture checks as cannot_tell (Stripe does not say whose attempt failed), never not_received', async () => {
    expect(await providerFor().capture(request('decline-1'))).toMatchObject({ status: 'failed', error: { code: 'provider_declined' } });
    expect(await providerFor().checkCapture?.(checkOf(request('decline-1')))).toMatchObject({ status: 'cannot_tell' });
  });

  it('a processing capture is pending, and the sandbox’s signed payment_intent.succeeded settles it through the plugin', async () => {
    const provider = providerFor();
    const receiver = await startWebhookReceiver(() => provider);
    try {
      sandbox.setWebhookTarget(receiver.url);
      const sent = request('pending-1');
      expect(await provider.capture(sent)).toMatchObject({ status: 'pending', references: { other: { payment_intent: 'pending-1' } } });
      const update = await receiver.waitFor((u) => u.captureId === sent.captureId, 5_000);
      expect(update).toMatchObject({
        authorisationId: 'pending-1',
        outcome: { status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'USD' } },
      });
    } finally {
      sandbox.setWebhookTarget('');
      await receiver.close();
    }
  });

  it('captures a zero-decimal currency in yen, not in hundredths of them', async () => {
    sandbox.authorise('pi_yen', { amount: 5_000, currency: 'JPY' });
    const outcome = await providerFor().capture({ ...request('pi_yen'), amount: { amount: 1_500, currency: 'JPY' } });
    expect(outcome).toMatchObject({ status: 'succeeded', capturedAmount: { amount: 1_500, currency: 'JPY' } });
    expect(sandbox.intent('pi_yen')).toMatchObject({ amount_received: 1_500, currency: 'jpy', status: 'succeeded' });
  });

  it('refuses an intent id with a slash or spaces, and an inexpressible amount, with nothing sent', async () => {
    const provider = providerFor();
    for (const authorisationId of ['pi_1/../pi_2', 'pi 1']) {
      expect(await provider.capture({ ...request('x'), authorisationId })).toMatchObject({
        status: 'failed',
        error: { code: 'invalid_request' },
      });
    }
    expect(await provider.capture({ ...request('pi_kwd'), amount: { amount: 5_124, currency: 'KWD' } })).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_request' },
    });
    expect(sandbox.capturesReceived()).toBe(0);
  });

  it('reads a refused key as provider_auth_failed, and keeps every secret out of outcomes and log lines', async () => {
    const wrong = 'sk_test_wrongkey0123456789';
    const outcome = await providerFor(2_000, { secretKey: wrong }).capture(request('pi_key'));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
    const everything = [JSON.stringify(outcome), ...logger.lines].join('\n');
    for (const secret of [wrong, sandbox.accountSettings.secretKey, sandbox.accountSettings.webhookSecret])
      expect(everything).not.toContain(secret);
  });

  it('declares what the service relies on: status check, idempotent captures for 24 h, Stripe’s currency exponents', () => {
    expect(stripePlugin.capabilities).toMatchObject({ statusCheck: true, idempotentCapture: { windowSeconds: 86_400 }, webhooks: true });
    expect(stripePlugin.minorUnits).toMatchObject({ JPY: 0, MGA: 0, ISK: 2 });
    expect(stripePlugin.configSchema.safeParse({ secretKey: 'pk_test_publishable0123' }).success).toBe(false);
    expect(stripePlugin.configSchema.parse({ secretKey: 'sk_live_abcdefgh0123' })).toMatchObject({ baseUrl: 'https://api.stripe.com' });
  });
});
