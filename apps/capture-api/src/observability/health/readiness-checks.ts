import type { LoadedConfig } from '../../config/config.schemas';
import type { Storage } from '../../persistence/storage';
import type { PluginRegistry } from '../../plugins/plugin.registry';
import type { ReadinessCheck } from './readiness-check';

/** The service's readiness: the database answers, every migration ran, every configured plugin and account loaded. */
export function serviceReadinessChecks(storage: Storage, registry: PluginRegistry, loaded: LoadedConfig): ReadinessCheck[] {
  return [
    { name: 'database', check: () => storage.reachable() },
    { name: 'migrations', check: async () => (await storage.pendingMigrations()).length === 0 },
    {
      name: 'plugins',
      check: async () =>
        registry.plugins.size === loaded.config.plugins.length &&
        loaded.config.accounts.every((account) => registry.account(account.id) !== undefined),
    },
  ];
}
