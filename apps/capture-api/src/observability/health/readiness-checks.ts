import type { LoadedConfig } from '../../config/config.schemas';
import { pendingMigrations } from '../../persistence/migrations.runner';
import type { SqlDatabase } from '../../persistence/sql.database';
import type { PluginRegistry } from '../../plugins/plugin.registry';
import type { ReadinessCheck } from './readiness-check';

/** The service's readiness: the database answers, every migration ran, every configured plugin and account loaded. */
export function serviceReadinessChecks(db: SqlDatabase, registry: PluginRegistry, loaded: LoadedConfig): ReadinessCheck[] {
  return [
    { name: 'database', check: async () => (await db.query('SELECT 1 AS ok')).length === 1 },
    { name: 'migrations', check: async () => (await pendingMigrations(db)).length === 0 },
    {
      name: 'plugins',
      check: async () =>
        registry.plugins.size === loaded.config.plugins.length &&
        loaded.config.accounts.every((account) => registry.account(account.id) !== undefined),
    },
  ];
}
