import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { DatabaseSettings } from './backends';

export const FIXTURES = resolve(__dirname, 'fixtures');
/** The product team's app and its type checks, copied into a scratch project by the packed-client test. */
export const PRODUCT_TEAM_APP = join(__dirname, 'product-team-app.mjs');
export const PRODUCT_TEAM_TYPES = join(__dirname, 'product-team-types.mts');
export const FAKE_PLUGIN = join(FIXTURES, 'fake.plugin.ts');

export const SHOP_KEY = 'shop_key_0123456789abcdef';
export const OTHER_KEY = 'other_key_0123456789abcdef';

// Each test file loads this module afresh: its temporary config folders go when the file's tests are done.
const created: string[] = [];
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A config file in a fresh temporary folder (removed at exit); returns its path. */
export function writeConfig(config: unknown, name = 'capture.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'capture-e2e-config-'));
  created.push(dir);
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.json') ? JSON.stringify(config, null, 2) : stringify(config));
  return path;
}

/**
 * The usual test config: the fake plugin by absolute path, two accounts on the fake sandbox, and
 * two clients (shop sees `fake-us` only; other sees `fake-eu`). Secrets come from env refs.
 */
export function fakeConfig(
  database: DatabaseSettings,
  overrides: { leaseSeconds?: number; timeoutMs?: number; keyRequired?: boolean } = {},
) {
  const settings = { baseUrl: { env: 'FAKE_BASE_URL' }, apiKey: { env: 'FAKE_API_KEY' }, merchantId: 'm_1' };
  return {
    database,
    idempotency: { leaseSeconds: overrides.leaseSeconds ?? 30, required: overrides.keyRequired ?? true },
    plugins: [{ module: FAKE_PLUGIN }],
    accounts: [
      { id: 'fake-us', plugin: 'fake', timeoutMs: overrides.timeoutMs ?? 2_000, settings },
      { id: 'fake-eu', plugin: 'fake', timeoutMs: overrides.timeoutMs ?? 2_000, settings },
    ],
    clients: [
      { id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['fake-us'] },
      { id: 'other', apiKey: { env: 'OTHER_API_KEY' }, accounts: ['fake-eu'] },
    ],
  };
}

export function fakeEnv(sandbox: { baseUrl: string; apiKey: string }): NodeJS.ProcessEnv {
  return { FAKE_BASE_URL: sandbox.baseUrl, FAKE_API_KEY: sandbox.apiKey, SHOP_API_KEY: SHOP_KEY, OTHER_API_KEY: OTHER_KEY };
}

/** Signs the multi-capture fake provider's webhooks (fixtures/multi.plugin.ts) in every test that uses it. */
export const MULTI_WEBHOOK_SECRET = 'whsec_multi_0123456789';

/**
 * The multi-capture fake provider, with signed batched webhooks: its plugin entry and two accounts,
 * `multi-us` and `multi-eu`, on the fake sandbox. Its variables come from `multiEnv`.
 */
export function multiProvider(timeoutMs = 2_000) {
  const settings = { baseUrl: { env: 'FAKE_BASE_URL' }, apiKey: { env: 'FAKE_API_KEY' }, merchantId: 'm_1', webhookSecret: { env: 'WH' } };
  return {
    plugins: [{ module: join(FIXTURES, 'multi.plugin.ts') }],
    accounts: [
      { id: 'multi-us', plugin: 'fake-multi', timeoutMs, settings },
      { id: 'multi-eu', plugin: 'fake-multi', timeoutMs, settings },
    ],
  };
}

export const multiEnv = (sandbox: { baseUrl: string; apiKey: string }): NodeJS.ProcessEnv => ({
  FAKE_BASE_URL: sandbox.baseUrl,
  FAKE_API_KEY: sandbox.apiKey,
  WH: MULTI_WEBHOOK_SECRET,
});
