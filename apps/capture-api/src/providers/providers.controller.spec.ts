import { join } from 'node:path';
import { SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

const OPS_KEY = 'ops_key_0123456789abcdef';
const settings = { apiKey: 'mem_api_key_SECRET_42', webhookSecret: 'mem_whsec_SECRET_43' };

describe('GET /v1/providers lists only the plugins of the caller’s accounts', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        plugins: [
          { module: join(__dirname, '../testing/memory.plugin.ts') },
          { module: join(__dirname, '../testing/checking-memory.plugin.ts') },
        ],
        accounts: [
          { id: 'mem-us', plugin: 'memory', settings },
          { id: 'mem-eu', plugin: 'memory', settings },
          { id: 'chk-us', plugin: 'memory-checking', settings },
        ],
        clients: [
          { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us'] },
          { id: 'ops', apiKey: OPS_KEY, accounts: '*' },
        ],
      })),
  );
  afterAll(() => t?.close());

  const list = async (key: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/providers', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    return (res.json() as { data: Array<{ id: string; accounts: string[] }> }).data.map((p) => [p.id, p.accounts]);
  };

  test('a client with an account on one plugin sees that plugin alone, with its own accounts', async () => {
    expect(await list(SHOP_KEY)).toEqual([['memory', ['mem-us']]]);
  });

  test('a client granted every account sees every plugin', async () => {
    expect(await list(OPS_KEY)).toEqual([
      ['memory', ['mem-us', 'mem-eu']],
      ['memory-checking', ['chk-us']],
    ]);
  });
});
