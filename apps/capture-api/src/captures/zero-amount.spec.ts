import { SHOP_KEY, startTestApp, type TestApp, callApp } from '../testing/test-app';

describe('a capture of zero', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: object) => callApp(t, method, url, SHOP_KEY, payload);

  test('is refused with 422 unsupported_by_provider on amount.amount when the plugin does not declare zeroAmount, and nothing is stored', async () => {
    const refused = await call('POST', '/v1/captures', {
      account: 'mem-us',
      authorisationId: 'txn-zero',
      amount: { amount: 0, currency: 'USD' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: { code: 'unsupported_by_provider', param: 'amount.amount' } });
    const listed = await call('GET', '/v1/captures?authorisationId=txn-zero');
    expect(listed.json()).toMatchObject({ data: [] });
    // One minor unit is an amount like any other.
    const one = await call('POST', '/v1/captures', {
      account: 'mem-us',
      authorisationId: 'txn-one',
      amount: { amount: 1, currency: 'USD' },
    });
    expect(one.statusCode).toBe(201);
  });
});
