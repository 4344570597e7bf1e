import type { AnyCapturePlugin, CaptureProvider, PluginLogger } from '@capture-gateway/plugin-sdk';
import { secretValues } from '@capture-gateway/plugin-sdk';
import { configProblem } from '../config/config.errors';
import type { LoadedConfig } from '../config/config.schemas';

/** One configured provider account, ready to capture. */
export interface ProviderAccount {
  id: string;
  plugin: AnyCapturePlugin;
  provider: CaptureProvider;
  timeoutMs: number;
  /** A capture still pending after this long is checked at the provider (when the plugin can check). */
  pendingCheckAfterMs: number;
  /** The account's secret values, for redacting anything that leaves the service. */
  secrets: readonly string[];
}

/** A plugin's logger for one account; it also learns the account's secrets, to redact them. */
export type LoggerFactory = (binding: { account: string; plugin: string }, secrets: readonly string[]) => PluginLogger;

/** The accounts of a config, each bound to its plugin, with settings the plugin's schema accepted. */
export class PluginRegistry {
  private constructor(
    readonly plugins: ReadonlyMap<string, AnyCapturePlugin>,
    private readonly accounts: ReadonlyMap<string, ProviderAccount>,
  ) {}

  static create(loaded: LoadedConfig, plugins: Map<string, AnyCapturePlugin>, makeLogger: LoggerFactory): PluginRegistry {
    const accounts = new Map<string, ProviderAccount>();
    for (const [index, account] of loaded.config.accounts.entries()) {
      const problem = (path: PropertyKey[], message: string) =>
        configProblem(loaded.file, ['accounts', index, ...path], message, account.id);
      const plugin = plugins.get(account.plugin);
      if (!plugin)
        throw problem(['plugin'], `no loaded plugin has id "${account.plugin}" (loaded: ${[...plugins.keys()].join(', ') || 'none'})`);
      const parsed = plugin.configSchema.safeParse(account.settings);
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        throw problem(['settings', ...(issue?.path ?? [])], issue?.message ?? 'invalid settings');
      }
      const secrets = secretValues(plugin.configSchema, parsed.data);
      const provider = plugin.create(parsed.data, {
        accountId: account.id,
        logger: makeLogger({ account: account.id, plugin: plugin.id }, secrets),
        timeoutMs: account.timeoutMs,
      });
      if (plugin.capabilities.statusCheck && typeof provider.checkCapture !== 'function') {
        throw problem(['plugin'], `plugin "${plugin.id}" declares statusCheck but its provider has no checkCapture`);
      }
      accounts.set(account.id, {
        id: account.id,
        plugin,
        provider,
        timeoutMs: account.timeoutMs,
        pendingCheckAfterMs: account.pendingCheckAfterSeconds * 1000,
        secrets,
      });
    }
    return new PluginRegistry(plugins, accounts);
  }

  account(id: string): ProviderAccount | undefined {
    return this.accounts.get(id);
  }

  allAccounts(): ProviderAccount[] {
    return [...this.accounts.values()];
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.allAccounts().map((account) => account.provider.close?.()));
  }
}
