import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_LOGGER, type AppLogger, type ReadinessCheck, toPluginLogger } from '../observability';
import { loadPlugins } from './plugin.loader';
import { PluginRegistry } from './plugin.registry';

export const PLUGIN_REGISTRY = Symbol('PLUGIN_REGISTRY');

/** This module's part of the service's readiness: every configured plugin and account loaded. */
export const PLUGINS_READINESS = Symbol('PLUGINS_READINESS');

const readinessOf = (registry: PluginRegistry, loaded: LoadedConfig): ReadinessCheck[] => [
  {
    name: 'plugins',
    check: async () =>
      registry.plugins.size === loaded.config.plugins.length &&
      loaded.config.accounts.every((account) => registry.account(account.id) !== undefined),
  },
];

/** Loads the plugins the config names with dynamic `import()`, then binds each account to its plugin. */
@Global()
@Module({})
export class PluginsModule implements OnApplicationShutdown {
  constructor(@Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry) {}

  static forRoot(loaded: LoadedConfig): DynamicModule {
    return {
      module: PluginsModule,
      providers: [
        {
          provide: PLUGIN_REGISTRY,
          // Each account's secrets join the log redaction before its plugin can log anything.
          useFactory: async (appLogger: AppLogger) =>
            PluginRegistry.create(loaded, await loadPlugins(loaded), (binding, secrets) => {
              appLogger.secrets.add(secrets);
              return toPluginLogger(appLogger.logger, binding);
            }),
          inject: [APP_LOGGER],
        },
        { provide: PLUGINS_READINESS, useFactory: (registry: PluginRegistry) => readinessOf(registry, loaded), inject: [PLUGIN_REGISTRY] },
      ],
      exports: [PLUGIN_REGISTRY, PLUGINS_READINESS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
