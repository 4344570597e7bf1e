import { PLUGIN_CONTRACT_VERSION } from '@capture-gateway/plugin-sdk';
import { join } from 'node:path';
import { FIXTURES, spawnService, WORKSPACE_ROOT, writeConfig } from '@capture-gateway/e2e-support';

// A plugin built for another major version of the contract must stop start-up, in a real process,
// with one line naming the file, the plugin entry and both versions.
const FUTURE_PLUGIN = join(FIXTURES, 'contract-2.plugin.cjs');

test('start-up refuses a plugin built for an incompatible contract major version, naming both versions', async () => {
  expect(PLUGIN_CONTRACT_VERSION.split('.')[0]).not.toBe('2');
  const config = {
    database: { dataDir: join(WORKSPACE_ROOT, 'tmp', 'capture-e2e-never-opened-plugin-contract') },
    plugins: [{ module: FUTURE_PLUGIN }],
    accounts: [{ id: 'future-us', plugin: 'future', settings: {} }],
    clients: [{ id: 'shop', apiKey: 'shop_key_0123456789abcdef', accounts: ['future-us'] }],
  };
  const { code, stderr } = await spawnService(writeConfig(config), {}).exited;
  expect(code).toBe(1);
  expect(stderr.trim().split('\n')).toEqual([
    `capture-api failed to start: capture.yaml: plugins[0] "${FUTURE_PLUGIN}": module: plugin "future" was built for plugin contract 2.0.0; this service implements ${PLUGIN_CONTRACT_VERSION}`,
  ]);
});
