import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_PLUGIN, FIXTURES, spawnService, WORKSPACE_ROOT, writeConfig } from '@capture-gateway/e2e-support';

// Each bad config is started as a real process: it must exit non-zero with one line on stderr
// naming the file, the entry and the field.
const env = { FAKE_BASE_URL: 'http://127.0.0.1:1', FAKE_API_KEY: 'fake_sk_secret_value_42', SHOP_API_KEY: 'shop_key_0123456789abcdef' };
const account = (overrides: Record<string, unknown> = {}) => ({
  id: 'fake-us',
  plugin: 'fake',
  settings: { baseUrl: { env: 'FAKE_BASE_URL' }, apiKey: { env: 'FAKE_API_KEY' }, merchantId: 'm_1' },
  ...overrides,
});
// A refused config must stop start-up before the database is opened, so this folder never appears.
const NEVER_OPENED = join(WORKSPACE_ROOT, 'tmp', 'capture-e2e-never-opened-config-errors');
rmSync(NEVER_OPENED, { recursive: true, force: true });
afterAll(() => expect(existsSync(NEVER_OPENED)).toBe(false));

const base = (overrides: Record<string, unknown>) => ({
  database: { dataDir: NEVER_OPENED },
  plugins: [{ module: FAKE_PLUGIN }],
  accounts: [account()],
  clients: [{ id: 'shop', apiKey: { env: 'SHOP_API_KEY' }, accounts: ['fake-us'] }],
  ...overrides,
});

async function startupError(config: unknown, name = 'capture.yaml', extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const service = spawnService(writeConfig(config, name), { ...env, ...extraEnv });
  const { code, stderr } = await service.exited;
  expect(code).not.toBe(0);
  expect(stderr).not.toContain(env.FAKE_API_KEY);
  return stderr.trim();
}

describe('start-up refuses a wrong config with one message naming the file, the entry and the field', () => {
  test.concurrent('a module that does not exist', async () => {
    const stderr = await startupError(base({ plugins: [{ module: FAKE_PLUGIN }, { module: '@capture-gateway/provider-nowhere' }] }));
    expect(stderr).toMatch(
      /^capture-api failed to start: capture\.yaml: plugins\[1\] "@capture-gateway\/provider-nowhere": module: cannot load the module: /,
    );
  });

  test.concurrent('a module whose export is not a plugin', async () => {
    const stderr = await startupError(base({ plugins: [{ module: join(FIXTURES, 'not-a-plugin.ts') }] }));
    expect(stderr).toContain(
      `capture.yaml: plugins[0] "${join(FIXTURES, 'not-a-plugin.ts')}": module: its default export is not a capture plugin`,
    );
  });

  test.concurrent('two plugins with one id', async () => {
    const stderr = await startupError(base({ plugins: [{ module: FAKE_PLUGIN }, { module: FAKE_PLUGIN }] }));
    expect(stderr).toContain(`capture.yaml: plugins[1] "${FAKE_PLUGIN}": module: plugin id "fake" is already loaded by plugins[0]`);
  });

  test.concurrent('an account naming an unknown plugin', async () => {
    const stderr = await startupError(
      base({
        accounts: [account({ id: 'pe-us', plugin: 'payengine' })],
        clients: [{ id: 'shop', apiKey: 'shop_key_0123456789abcdef', accounts: ['pe-us'] }],
      }),
    );
    expect(stderr).toContain('capture.yaml: accounts[0] "pe-us": plugin: no loaded plugin has id "payengine" (loaded: fake)');
  });

  test.concurrent('a setting the plugin schema refuses', async () => {
    const stderr = await startupError(
      base({
        accounts: [
          account(),
          account({ id: 'fake-eu', settings: { baseUrl: 'not a url', apiKey: { env: 'FAKE_API_KEY' }, merchantId: 'm' } }),
        ],
      }),
      'capture.json',
    );
    expect(stderr).toContain('capture.json: accounts[1] "fake-eu": settings.baseUrl: Invalid URL');
  });

  test.concurrent('a secret whose environment variable is missing', async () => {
    const stderr = await startupError(
      base({ accounts: [account({ settings: { baseUrl: 'http://x.test', apiKey: { env: 'NOT_SET_ANYWHERE' }, merchantId: 'm' } })] }),
    );
    expect(stderr).toContain('capture.yaml: accounts[0] "fake-us": settings.apiKey: environment variable NOT_SET_ANYWHERE is not set');
  });

  test.concurrent('a config that does not match the format', async () => {
    const stderr = await startupError(base({ clients: [{ id: 'shop', apiKey: 'short', accounts: ['fake-us'] }] }));
    expect(stderr).toContain('capture.yaml: clients[0] "shop": apiKey: must be at least 16 characters');
  });

  test.concurrent('an OTLP endpoint that is not a URL: the variable is named, its value (it may hold a token) is not', async () => {
    const stderr = await startupError(base({}), 'capture.yaml', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector_token_abc:4318' });
    expect(stderr).toBe('capture-api failed to start: OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL');
  });

  test.concurrent('a config file that does not exist', async () => {
    const service = spawnService('/nonexistent/capture.yaml', env);
    const { code, stderr } = await service.exited;
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/capture.yaml: cannot read the config file (ENOENT)');
  });
});
