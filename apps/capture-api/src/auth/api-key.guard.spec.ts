import { bearerToken } from './bearer';
import { SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

describe('bearerToken', () => {
  test.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['bEaReR   abc  ', 'abc'],
  ])('reads %j: the scheme is case-insensitive (RFC 7235)', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  test.each([[undefined], [''], ['Bearer'], ['Bearer '], ['Basic abc'], ['Bearerabc'], ['abc']])('finds no token in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

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
