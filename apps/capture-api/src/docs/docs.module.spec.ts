import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startDocsApp } from './testing/docs-app';

describe('DocsModule', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startDocsApp();
  });

  afterAll(() => app.close());

  it('serves the OpenAPI document at /openapi.json', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ openapi: '3.1.0', info: { version: '9.9.9' } });
    expect(res.json().paths['/v1/captures'].post.operationId).toBe('createCapture');
  });

  it('serves a docs page that loads only local URLs, under a CSP that forbids others', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const urls = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url).toMatch(/^\/docs\/assets\//);
    expect(res.body).not.toMatch(/https?:\/\//);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the Swagger UI assets from the installed package, and nothing else', async () => {
    for (const [file, type] of [
      ['swagger-ui-bundle.js', 'text/javascript'],
      ['swagger-ui.css', 'text/css'],
      ['docs-init.js', 'text/javascript'],
    ]) {
      const res = await app.inject({ method: 'GET', url: `/docs/assets/${file}` });
      expect({ file, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        file,
        status: 200,
        type: expect.stringContaining(type),
      });
    }
    const init = await app.inject({ method: 'GET', url: '/docs/assets/docs-init.js' });
    expect(init.body).toContain("url: '/openapi.json'");
    expect(init.body).toContain('validatorUrl: null');
    for (const probe of ['package.json', '..%2F..%2Fpackage.json', 'index.html', 'swagger-ui.js.map']) {
      expect((await app.inject({ method: 'GET', url: `/docs/assets/${probe}` })).statusCode).toBe(404);
    }
  });
});
