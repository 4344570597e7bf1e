import { existsSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chromium, type Browser } from 'playwright-core';
import { startDocsApp } from './testing/docs-app';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// This test must not skip: without a browser it fails and says how to get one.
function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The /docs page test needs Debian's chromium package: ` +
        'run `apt-get update && apt-get install -y chromium` as root (or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
}

describe('the /docs page in a browser', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    assertChromiumInstalled();
    app = await startDocsApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = await app.getUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
