import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../testing/chromium';
import { callApp, MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET, SHOP_KEY, startTestApp, type TestApp } from '../testing/test-app';

// The workspace's tmp/ (git-ignored): one PNG per screen, to look at after a run.
const SCREENSHOTS = join(__dirname, '../../../../tmp/ops-page');
const OPERATOR_KEY = 'operator_key_0123456789abcdef';
const AXE = require.resolve('axe-core');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's WCAG A/AA and best-practice rules on the page as it is now; the violations, summarised. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // Expressions as strings: they run in the page, and this project's TypeScript has no DOM types.
  const { violations, passes } = await page.evaluate<{ violations: AxeViolation[]; passes: number }>(
    'axe.run().then((result) => ({ violations: result.violations, passes: result.passes.length }))',
  );
  // axe ran its rules on this page (labels, contrast, landmarks, …), not on an empty document.
  expect(passes).toBeGreaterThan(10);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A property of the element that has the keyboard focus. */
const focused = (page: Page, property: 'id' | 'value' | 'textContent') =>
  page.evaluate<string | undefined>(`document.activeElement ? document.activeElement.${property} : undefined`);

describe('the /ops page in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  // Short, so that no run of 13 or more digits (the length of a card number) is ours.
  const stamp = Date.now() % 1_000_000_000;
  const stuckAuthorisation = `unknown-page-${stamp}`;
  let stuckId: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp({
      clients: [
        { id: 'shop', apiKey: SHOP_KEY, accounts: ['mem-us', 'mem-eu'] },
        {
          id: 'ops',
          keys: [{ id: 'on-call', key: OPERATOR_KEY, scopes: ['ops:read', 'captures:read', 'captures:resolve'] }],
          accounts: '*',
        },
      ],
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = await t.app.getUrl();
    // Some traffic for the health charts, and one capture whose provider timed out: it needs an operator.
    const prefixes = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'decline', 'pending', 'unknown'];
    for (const [i, prefix] of prefixes.entries()) {
      const account = i % 2 === 0 ? 'mem-us' : 'mem-eu';
      await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
        account,
        authorisationId: `${prefix}-${stamp}-${i}`,
        amount: { amount: 1250, currency: 'USD' },
      });
    }
    const stuck = await callApp(t, 'POST', '/v1/captures', SHOP_KEY, {
      account: 'mem-us',
      authorisationId: stuckAuthorisation,
      amount: { amount: 4200, currency: 'EUR' },
    });
    stuckId = stuck.json().id;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders under its Content-Security-Policy with no violation: the list, the charts and a capture', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('response', (response) => response.status() >= 400 && consoleErrors.push(`${response.status()} ${response.url()}`));
    await page.goto(`${origin}/ops`);
    await page.getByLabel('Operator API key').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#health .u-wrap canvas').nth(3).waitFor();
    await page.locator('#attention-table tbody button').first().click();
    await page.locator('#history-table tbody tr').first().waitFor();
    // A blocked script, style or request is reported as a console error.
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('signs in by keyboard, finds the stuck capture, opens it, resolves it and sees it leave the list', async () => {
    // axe-core is injected as a script tag, which the page's CSP (scripts from this origin only)
    // would block: this context lets it in; the test above checks the page under its CSP.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const consoleErrors: string[] = [];
    const requested: string[] = [];
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requested.push(request.url()));

    // 1. Sign in, by keyboard only: Tab to the key field, type, Enter.
    await page.goto(`${origin}/ops`);
    await page.locator('#api-key').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '1-sign-in.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Tab');
    expect(await focused(page, 'id')).toBe('api-key');
    await page.keyboard.type(OPERATOR_KEY);
    await page.keyboard.press('Enter');

    // 2. The attention list shows the stuck capture with its age; the health charts are drawn.
    const row = page.locator(`#attention-table tr[data-capture="${stuckId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/unknown[\s\S]*Unknown outcome[\s\S]*provider_timeout[\s\S]*\d+ s[\s\S]*42\.00 EUR/);
    await page.locator('#health .u-wrap canvas').nth(3).waitFor();
    expect(await page.locator('#health article').count()).toBe(2);
    expect(await page.locator('#health').innerText()).toMatch(/mem-us[\s\S]*succeeded/);
    await page.screenshot({ path: join(SCREENSHOTS, '2-attention-and-health.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // 3. Search by the authorisation id.
    await page.getByLabel('Capture id, authorisation id or provider reference').fill(stuckAuthorisation);
    await page.getByRole('button', { name: 'Search' }).click();
    const result = page.locator('#search-results li', { hasText: stuckId });
    await result.waitFor();
    await page.locator('#search-results').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, '3-search.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // 4. Open it: its fields and its audit trail.
    await result.getByRole('button', { name: `Open capture ${stuckId}` }).click();
    await page.locator('#history-table tbody tr').first().waitFor();
    expect(await page.locator('#capture-heading').innerText()).toBe(`Capture ${stuckId}`);
    expect(await focused(page, 'id')).toBe('capture-heading');
    expect(await page.locator('.fields').innerText()).toMatch(/provider_timeout/);
    expect(await page.locator('#history-table').innerText()).toMatch(/unknown[\s\S]*api: shop/);
    await page.screenshot({ path: join(SCREENSHOTS, '4-capture-detail.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // 5. Resolve it, by keyboard: from the heading, Tab to the choices, arrow to "failed", the reason, submit.
    await page.keyboard.press('Tab');
    expect(await focused(page, 'value')).toBe('succeeded');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="status"][value="failed"]').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page, 'id')).toBe('resolve-reason');
    await page.keyboard.type('Absent from the provider settlement report of today');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page, 'textContent')).toBe('Resolve capture');
    await page.screenshot({ path: join(SCREENSHOTS, '5-resolve-form.png'), fullPage: true });
    await page.keyboard.press('Enter');

    // 6. Back on the list: a notice, and the capture is no longer listed.
    const notice = page.locator('.notice');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`Capture ${stuckId} resolved as failed.`);
    await page.locator('#attention-table, #attention-empty').first().waitFor();
    await page.waitForFunction(`!document.querySelector('#attention-table tr[data-capture="${stuckId}"]')`);
    await page.screenshot({ path: join(SCREENSHOTS, '6-resolved.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // The resolution went through the API: audited with the operator and the reason.
    const history = (await callApp(t, 'GET', `/v1/captures/${stuckId}/history`, OPERATOR_KEY)).json().data;
    expect(history.at(-1)).toMatchObject({
      kind: 'status',
      from: 'unknown',
      to: 'failed',
      source: 'operator',
      actor: 'ops/on-call',
      reason: 'Absent from the provider settlement report of today',
    });

    // Nothing from another host, the key never in a URL, no secret on the page, no console error.
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url))).toEqual([]);
    expect(requested.filter((url) => url.includes(OPERATOR_KEY))).toEqual([]);
    const content = await page.content();
    for (const secret of [OPERATOR_KEY, SHOP_KEY, MEMORY_API_KEY, MEMORY_WEBHOOK_SECRET]) expect(content).not.toContain(secret);
    expect(await page.locator('body').innerText()).not.toMatch(/\d{13,19}/);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
