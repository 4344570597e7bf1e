import { CAPTURE_PATH } from '../lib/paymentoptions.schemas';
import { type PaymentOptionsSandbox, startPaymentOptionsSandbox } from './paymentoptions.sandbox';

describe('PaymentOptions sandbox', () => {
  let sandbox: PaymentOptionsSandbox;

  beforeAll(async () => {
    sandbox = await startPaymentOptionsSandbox({ defaultCurrency: 'USD' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const post = (transactionId: string, amount: number, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.baseUrl}${CAPTURE_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${sandbox.credentials.authorizationKey}`,
        'x-api-key': sandbox.credentials.apiKey,
        ...headers,
      },
      body: JSON.stringify({ transactionId, amount, merchant_id: sandbox.credentials.merchantId }),
    });

  it('captures a transaction nobody seeded for exactly the amount asked, in the default currency, once', async () => {
    const first = await post('curl-1', 1999);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ success: true, payment_details: { amount: 1999, currency: 'USD' } });
    const second = await post('curl-1', 1999);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ success: false, gateway_response: { type: 'ERROR', code: 'ERR_ALREADY_CAPTURED' } });
    expect(sandbox.capturesReceived()).toBe(2);
  });

  it('checks both credentials', async () => {
    expect((await post('curl-2', 100, { 'x-api-key': 'nope' })).status).toBe(401);
    expect((await post('curl-2', 100, { authorization: 'nope' })).status).toBe(401);
    expect((await post('curl-2', 100, { authorization: sandbox.credentials.authorizationKey })).status).toBe(401);
  });

  it('answers the magic ids and scripted transactions as documented', async () => {
    expect((await post('decline-1', 100)).status).toBe(402);
    expect((await post('error-1', 100)).status).toBe(503);
    expect((await post('notfound-1', 100)).status).toBe(404);
    const garbage = await post('garbage-1', 100);
    expect(garbage.status).toBe(201);
    await expect(garbage.clone().json()).rejects.toThrow();
    sandbox.respondWith('plain-uuid', 'decline');
    expect((await post('plain-uuid', 100)).status).toBe(402);
    const silent = await Promise.race([
      post('timeout-1', 100).then(
        () => 'answered',
        () => 'closed',
      ),
      new Promise((r) => setTimeout(() => r('silent'), 300)),
    ]);
    expect(silent).toBe('silent');
  });

  it('refuses more than the authorisation, and forgets everything on reset', async () => {
    sandbox.authorise('seeded-1', { amount: 500, currency: 'JPY' });
    expect((await post('seeded-1', 501)).status).toBe(422);
    sandbox.reset();
    expect(sandbox.capturesReceived()).toBe(0);
    expect((await post('seeded-1', 501)).status).toBe(201);
  });

  it('refuses to start with a currency that is not ISO 4217', async () => {
    await expect(startPaymentOptionsSandbox({ defaultCurrency: 'XYZ' })).rejects.toThrow('not an ISO 4217 currency');
  });
});
