import { SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

describe('the API key guard reads the scheme in any case', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  test.each(['bearer', 'BEARER', 'Bearer'])('Authorization: %s <key> is accepted', async (scheme) => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/captures', headers: { authorization: `${scheme} ${SHOP_KEY}` } });
    expect(res.statusCode).toBe(200);
  });

  test('another scheme with a valid key is still 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/captures', headers: { authorization: `Token ${SHOP_KEY}` } });
    expect(res.statusCode).toBe(401);
  });
});
