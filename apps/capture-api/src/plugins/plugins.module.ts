import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { LoadedConfig } from '../config/config.schemas';
import { loadPlugins } from './plugin.loader';
import { PluginRegistry } from './plugin.registry';

export const PLUGIN_REGISTRY = Symbol('PLUGIN_REGISTRY');

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
          useFactory: async () => PluginRegistry.create(loaded, await loadPlugins(loaded)),
        },
      ],
      exports: [PLUGIN_REGISTRY],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
