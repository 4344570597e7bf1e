import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../testing/chromium';
import { startDocsApp } from './testing/docs-app';

describe('the /docs page in a browser', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    app = await startDocsApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = await app.getUrl();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders the API with the capture route, loading nothing from another host', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${origin}/docs`);
    const capturePath = page.locator('.opblock-summary-path', { hasText: /^\/v1\/captures$/ });
    await capturePath.first().waitFor({ timeout: 20_000 });

    expect(await page.locator('.opblock-summary-path').allInnerTexts()).toEqual(
      expect.arrayContaining(['/v1/captures', '/v1/captures/{id}', '/v1/webhooks/{account}', '/health/ready']),
    );
    expect(await page.locator('.opblock-summary-method').first().innerText()).toMatch(/GET|POST/);
    expect(requested).toContain(`${origin}/openapi.json`);
    const foreign = requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
