import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { APP_LOGGER } from '../logging/app-logger.token';
import type { AppLogger } from '../logging/logger.factory';
import { MetricsServer } from './metrics.access';
import { defined } from '../../testing/defined';

const TOKEN = 'metrics_token_SECRET_0123456789';
const WRONG = 'wrong_metrics_token_0123456789';

const scrape = (app: NestFastifyApplication, authorization: string | undefined, from = '127.0.0.1') =>
  app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {}, remoteAddress: from });

describe('/metrics behind a token, on the API port', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ metrics: { token: TOKEN }, auth: { maxFailures: 3, windowSeconds: 60 } })));
  afterAll(() => t?.close());

  test('the scheme is case-insensitive', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect((await scrape(t.app, `${scheme} ${TOKEN}`)).statusCode).toBe(200);
  });

  test('wrong tokens count against their source in the failed-auth limit: then 429 with Retry-After; the right token still passes', async () => {
    for (let i = 0; i < 3; i++) expect((await scrape(t.app, `Bearer ${WRONG}`, '10.7.0.1')).statusCode).toBe(401);
    for (const authorization of [`Bearer ${WRONG}`, undefined]) {
      const limited = await scrape(t.app, authorization, '10.7.0.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await scrape(t.app, `Bearer ${TOKEN}`, '10.7.0.1')).statusCode).toBe(200);
    // Another source is untouched.
    expect((await scrape(t.app, `Bearer ${WRONG}`, '10.7.0.2')).statusCode).toBe(401);
  });

  test('one limiter for API keys and the metrics token: failures on either count for the source', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/captures',
        headers: { authorization: `Bearer ${WRONG}` },
        remoteAddress: '10.7.0.3',
      });
      expect(res.statusCode).toBe(401);
    }
    expect((await scrape(t.app, `Bearer ${WRONG}`, '10.7.0.3')).statusCode).toBe(429);
  });

  test('the token never reaches a log line, whoever writes it', () => {
    const { logger } = t.app.get<AppLogger>(APP_LOGGER);
    logger.warn({ header: `Token ${TOKEN}` }, `a scrape sent ${TOKEN} under another scheme`);
    const text = t.logs.join('\n');
    expect(text).toContain('a scrape sent');
    expect(text).not.toContain(TOKEN);
  });
});

describe('/metrics behind a token, on a port of its own', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        server: { host: '127.0.0.1' },
        metrics: { token: TOKEN, port: 0 },
        auth: { maxFailures: 2, windowSeconds: 60 },
      })),
  );
  afterAll(() => t?.close());

  test('any case of the scheme opens it; wrong tokens are throttled per source as on the API port', async () => {
    const url = `http://127.0.0.1:${defined(t.app.get(MetricsServer).address(), 'the metrics port to be listening').port}/metrics`;
    const get = (authorization?: string) => fetch(url, { headers: authorization ? { authorization } : {} });
    expect((await get(`bearer ${TOKEN}`)).status).toBe(200);
    expect((await get(`Bearer ${WRONG}`)).status).toBe(401);
    expect((await get(`Bearer ${WRONG}`)).status).toBe(401);
    const limited = await get(`Bearer ${WRONG}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await get(`Bearer ${TOKEN}`)).status).toBe(200);
  });
});
