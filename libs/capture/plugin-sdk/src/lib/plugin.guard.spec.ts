import { z } from 'zod';
import { definePlugin, PLUGIN_CONTRACT_VERSION } from './plugin.contract';
import { pluginFromModule } from './plugin.guard';

const plugin = definePlugin({
  id: 'example',
  displayName: 'Example',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url() }),
  captureOptionsSchema: z.object({ fee: z.int() }).strict(),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: false, currencies: 'any' },
  create: (config) => ({
    capture: async (request) => {
      // Types flow from the schemas: these lines fail to compile if they drift.
      const url: string = config.baseUrl;
      const fee: number = request.options.fee;
      return { status: 'failed', error: { code: 'provider_declined', message: `${url} ${fee}` } };
    },
  }),
});

describe('pluginFromModule', () => {
  it('accepts a default export, also through CommonJS interop', () => {
    expect(pluginFromModule({ default: plugin })).toBe(plugin);
    expect(pluginFromModule({ default: { default: plugin, __esModule: true } })).toBe(plugin);
    expect(plugin.contractVersion).toBe(PLUGIN_CONTRACT_VERSION);
  });

  it('names each problem of an export that is not a plugin', () => {
    expect(() => pluginFromModule({ default: { id: 'Bad Id', create: 1 } })).toThrow(
      /its default export is not a capture plugin: contractVersion .*id must be lower-case.*create must be a function/,
    );
    expect(() => pluginFromModule({})).toThrow('its default export is not a capture plugin');
  });

  it('accepts a plugin built for an earlier minor version of the contract', () => {
    const older = { ...plugin, contractVersion: '1.0.0' };
    expect(pluginFromModule({ default: older })).toBe(older);
  });

  it('refuses a plugin built for another major version of the contract, naming both', () => {
    expect(() => pluginFromModule({ default: { ...plugin, contractVersion: '2.0.0' } })).toThrow(
      `plugin "example" was built for plugin contract 2.0.0; this service implements ${PLUGIN_CONTRACT_VERSION}`,
    );
  });
});

// Compile-time checks: `nx typecheck` fails if these stop being errors.
definePlugin({
  id: 'wrong',
  displayName: 'Wrong',
  version: '1',
  configSchema: z.object({ baseUrl: z.string() }),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: false, currencies: 'any' },
  create: (config) => ({
    // @ts-expect-error the config has no apiKey field
    capture: async () => ({ status: 'succeeded', x: config.apiKey }),
  }),
});
// @ts-expect-error capabilities are required
definePlugin({
  id: 'x',
  displayName: 'X',
  version: '1',
  configSchema: z.object({}),
  create: () => ({ capture: async () => ({ status: 'pending' }) }),
});
