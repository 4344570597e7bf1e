import { type StripeSandbox, startStripeSandbox } from './stripe.sandbox';

// What the sandbox promises beyond the pact: credentials, Stripe's idempotency, magic ids, counters.
describe('Stripe sandbox', () => {
  let sandbox: StripeSandbox;
  beforeAll(async () => (sandbox = await startStripeSandbox()));
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const capture = (id: string, body: string, key?: string, secret = sandbox.accountSettings.secretKey) =>
    fetch(`${sandbox.baseUrl}/v1/payment_intents/${encodeURIComponent(id)}/capture`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body,
    });
  const retrieve = (id: string) =>
    fetch(`${sandbox.baseUrl}/v1/payment_intents/${id}`, { headers: { authorization: `Bearer ${sandbox.accountSettings.secretKey}` } });

  it('replays the first answer to a key, refuses the key with other parameters, and counts captures made', async () => {
    const first = await capture('pi_1', 'amount_to_capture=500&metadata[a]=1', 'k1');
    const replay = await capture('pi_1', 'metadata[a]=1&amount_to_capture=500', 'k1');
    expect(first.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await first.json());
    const reused = await capture('pi_1', 'amount_to_capture=600', 'k1');
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: { type: 'idempotency_error' } });
    expect(sandbox.capturesOf('pi_1')).toBe(1);
    expect(sandbox.capturesReceived()).toBe(3);
  });

  it('refuses a wrong key (401, not saved for the idempotency key), an unknown parameter and a bad amount', async () => {
    expect((await capture('pi_2', 'amount_to_capture=1', 'k2', 'sk_test_wrong')).status).toBe(401);
    expect((await capture('pi_2', 'amount_to_capture=1', 'k2')).status).toBe(200);
    expect(await (await capture('pi_3', 'amount=1')).json()).toMatchObject({ error: { code: 'parameter_unknown' } });
    expect(await (await capture('pi_3', 'amount_to_capture=1.5')).json()).toMatchObject({ error: { code: 'parameter_invalid_integer' } });
  });

  it('keeps a non-final capture’s intent open for another, and refuses more than is capturable', async () => {
    sandbox.authorise('pi_multi', { amount: 1_000, currency: 'USD' });
    expect(await (await capture('pi_multi', 'amount_to_capture=400&final_capture=false')).json()).toMatchObject({
      status: 'requires_capture',
      amount_received: 400,
      amount_capturable: 600,
    });
    expect(await (await capture('pi_multi', 'amount_to_capture=700')).json()).toMatchObject({ error: { code: 'amount_too_large' } });
    expect(await (await capture('pi_multi', 'amount_to_capture=600')).json()).toMatchObject({
      status: 'succeeded',
      amount_received: 1_000,
    });
  });

  it('answers the magic ids as Stripe would', async () => {
    expect(await (await capture('decline-1', '')).json()).toMatchObject({ error: { type: 'card_error', code: 'card_declined' } });
    expect((await capture('error-1', '')).status).toBe(500);
    expect((await capture('garbage-1', '')).headers.get('content-type')).toBe('text/html');
    expect((await capture('notfound-1', '')).status).toBe(404);
    expect((await retrieve('notfound-1')).status).toBe(404);
    expect(await (await capture('pending-1', '')).json()).toMatchObject({ status: 'processing' });
    await expect(capture('drop-1', '', 'kd')).rejects.toThrow();
    expect(sandbox.capturesOf('drop-1')).toBe(1);
    expect(await (await capture('drop-1', '', 'kd')).json()).toMatchObject({ status: 'succeeded' });
    await expect(capture('hangup-1', '')).rejects.toThrow();
    expect(await (await retrieve('hangup-1')).json()).toMatchObject({ status: 'requires_capture', amount_received: 0 });
  });

  it('seeds intents in ISO minor units, written as Stripe writes them', async () => {
    sandbox.authorise('pi_isk', { amount: 1_500, currency: 'ISK' });
    expect(await (await retrieve('pi_isk')).json()).toMatchObject({ amount: 150_000, currency: 'isk' });
  });
});
