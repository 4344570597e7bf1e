import { defined } from '../testing/defined';
import { AttentionListSchema, HealthReportSchema } from './ops.schemas';
import { OPS_CONTENT_SECURITY_POLICY } from './ops.page';
import { callApp, MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

const OPERATOR_KEY = 'operator_key_0123456789abcdef';
const EU_OPERATOR_KEY = 'eu_operator_key_0123456789abcdef';
let n = 0;
const authId = (prefix: string) => `${prefix}-${Date.now()}-${n++}`;

describe('the operations data and page', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      clients: [
        { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us', 'mem-eu'] },
        {
          id: 'ops',
          keys: [{ id: 'on-call', key: OPERATOR_KEY, scopes: ['ops:read', 'captures:read', 'captures:resolve'] }],
          accounts: '*',
        },
        { id: 'ops-eu', keys: [{ key: EU_OPERATOR_KEY, scopes: ['ops:read'] }], accounts: ['mem-eu'] },
      ],
    });
  });
  afterAll(() => t?.close());

  const capture = async (account: string, authorisationId: string) => {
    const res = await callApp(t, 'POST', '/v1/captures', SHOP_KEY, { account, authorisationId, amount: { amount: 1999, currency: 'USD' } });
    expect(res.statusCode).toBeLessThan(authorisationId.startsWith('decline') ? 403 : 300);
    return res.json() as { id: string; status: string };
  };

  test('without a key each ops data endpoint is 401; without the ops:read scope, 403', async () => {
    for (const url of ['/v1/ops/attention', '/v1/ops/health', '/v1/ops/health?window=15m']) {
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'unauthenticated']);
      const shop = await callApp(t, 'GET', url, SHOP_KEY);
      expect([shop.statusCode, shop.json().error.code]).toEqual([403, 'insufficient_scope']);
    }
  });

  test('the attention list holds unknown captures with their age, on the key’s accounts only, and they leave it once resolved', async () => {
    const stuck = await capture('mem-us', authId('unknown'));
    const stuckEu = await capture('mem-eu', authId('unknown'));
    await capture('mem-us', authId('ok'));
    await capture('mem-us', authId('pending')); // pending, well within its threshold

    const list = AttentionListSchema.parse((await callApp(t, 'GET', '/v1/ops/attention', OPERATOR_KEY)).json());
    const mine = list.data.filter((item) => [stuck.id, stuckEu.id].includes(item.id));
    expect(mine.map((item) => [item.id, item.reason, item.errorCode])).toEqual([
      [stuck.id, 'unknown', 'provider_timeout'],
      [stuckEu.id, 'unknown', 'provider_timeout'],
    ]);
    expect(mine[0]).toMatchObject({
      account: 'mem-us',
      provider: 'memory',
      status: 'unknown',
      requestedAmount: { amount: 1999, currency: 'USD' },
    });
    expect(mine[0]?.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(list.data.every((item) => item.status === 'unknown')).toBe(true);

    const eu = AttentionListSchema.parse((await callApp(t, 'GET', '/v1/ops/attention', EU_OPERATOR_KEY)).json());
    expect(eu.data.map((item) => item.account)).toEqual(eu.data.map(() => 'mem-eu'));
    expect(eu.data.map((item) => item.id)).toContain(stuckEu.id);

    const resolved = await callApp(t, 'POST', `/v1/captures/${stuck.id}/resolve`, OPERATOR_KEY, {
      status: 'failed',
      reason: 'Not in the provider settlement report',
    });
    expect(resolved.statusCode).toBe(200);
    const after = AttentionListSchema.parse((await callApp(t, 'GET', '/v1/ops/attention', OPERATOR_KEY)).json());
    expect(after.data.map((item) => item.id)).not.toContain(stuck.id);
    expect(after.data.map((item) => item.id)).toContain(stuckEu.id);
  });

  test('bad filters are 400 with the field at fault', async () => {
    const bad = await callApp(t, 'GET', '/v1/ops/attention?limit=0', OPERATOR_KEY);
    expect([bad.statusCode, bad.json().error.code, bad.json().error.param]).toEqual([400, 'invalid_request', 'limit']);
    const window = await callApp(t, 'GET', '/v1/ops/health?window=1d', OPERATOR_KEY);
    expect([window.statusCode, window.json().error.param]).toEqual([400, 'window']);
  });

  test("provider health counts each account's first answers by kind, with rates, latency and a series per bucket", async () => {
    const before = HealthReportSchema.parse((await callApp(t, 'GET', '/v1/ops/health', OPERATOR_KEY)).json());
    const usBefore = defined(
      before.accounts.find((a) => a.account === 'mem-us'),
      'mem-us before',
    );
    await capture('mem-us', authId('ok'));
    await capture('mem-us', authId('ok'));
    await capture('mem-us', authId('decline'));
    await capture('mem-us', authId('unknown'));

    const report = HealthReportSchema.parse((await callApp(t, 'GET', '/v1/ops/health?window=1h', OPERATOR_KEY)).json());
    expect(report.window).toBe('1h');
    expect(report.bucketSeconds).toBe(300);
    expect(report.accounts.map((a) => a.account).sort()).toEqual(['mem-eu', 'mem-us']);
    const us = defined(
      report.accounts.find((a) => a.account === 'mem-us'),
      'mem-us',
    );
    expect(us.total - usBefore.total).toBe(4);
    expect(us.counts.succeeded - usBefore.counts.succeeded).toBe(2);
    expect(us.counts.declined - usBefore.counts.declined).toBe(1);
    expect(us.counts.timeout - usBefore.counts.timeout).toBe(1);
    expect(us.rates.succeeded).toBeCloseTo(us.counts.succeeded / us.total, 4);
    expect(us.latencyMs.p50).not.toBeNull();
    expect(defined(us.latencyMs.p50, 'p50')).toBeLessThanOrEqual(defined(us.latencyMs.p99, 'p99'));
    expect(us.series.length).toBeGreaterThanOrEqual(12);
    expect(us.series.reduce((sum, point) => sum + point.total, 0)).toBe(us.total);

    const eu = HealthReportSchema.parse((await callApp(t, 'GET', '/v1/ops/health', EU_OPERATOR_KEY)).json());
    expect(eu.accounts.map((a) => a.account)).toEqual(['mem-eu']);
  });

  test('the page shell and its files are public, hold no data, and only an allowlist of files is served', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/ops' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(OPS_CONTENT_SECURITY_POLICY);
    expect(OPS_CONTENT_SECURITY_POLICY).not.toMatch(/https?:|unsafe-inline|unsafe-eval|\*/);
    expect(page.body).toContain('/ops/assets/ops.js');
    expect(page.body).not.toMatch(/cap_[0-9A-Z]{10}/);
    for (const file of ['ops.js', 'ops.css', 'preact.mjs', 'hooks.mjs', 'htm.mjs', 'uPlot.esm.js', 'uPlot.min.css']) {
      const asset = await t.app.inject({ method: 'GET', url: `/ops/assets/${file}` });
      expect([file, asset.statusCode]).toEqual([file, 200]);
      expect(asset.headers['x-content-type-options']).toBe('nosniff');
    }
    for (const file of ['package.json', '..%2F..%2Fpackage.json', 'preact.mjs.map', 'constructor', '__proto__']) {
      expect([file, (await t.app.inject({ method: 'GET', url: `/ops/assets/${file}` })).statusCode]).toEqual([file, 404]);
    }
  });

  test('no secret reaches an ops response', async () => {
    await capture('mem-us', authId('unknown'));
    for (const url of ['/v1/ops/attention', '/v1/ops/health', '/ops']) {
      const body = (await callApp(t, 'GET', url, OPERATOR_KEY)).body;
      for (const secret of [MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, OPERATOR_KEY, SHOP_KEY]) expect(body).not.toContain(secret);
    }
  });
});
