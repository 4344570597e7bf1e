import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { type AnyCapturePlugin, pluginFromModule } from '@capture-gateway/plugin-sdk';
import { configProblem } from '../config/config.errors';
import type { LoadedConfig } from '../config/config.schemas';
import { resolveWorkspaceAlias } from './workspace-aliases';

/**
 * A relative path (`./x`, `../x`) resolves against the config file's folder; an absolute path is
 * imported as written; a package name is looked for in the `node_modules` beside the config file (and
 * above it) first, then as a workspace library's alias, then from the service's own `node_modules`.
 */
export function resolveSpecifier(specifier: string, configDir: string): string {
  if (specifier.startsWith('.')) return resolve(configDir, specifier);
  if (isAbsolute(specifier)) return specifier;
  return resolveFromFolder(specifier, configDir) ?? resolveWorkspaceAlias(specifier, [configDir, process.cwd()]) ?? specifier;
}

// Node's own lookup, as if a file in the config's folder had required the package.
function resolveFromFolder(specifier: string, dir: string): string | undefined {
  try {
    return createRequire(join(dir, 'capture.config.js')).resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * Imports every plugin the config lists, by name, at start-up: the service has no static import of
 * any provider. Refuses a missing module, an export that is not a plugin, and two plugins with one id.
 */
export async function loadPlugins(loaded: LoadedConfig): Promise<Map<string, AnyCapturePlugin>> {
  const plugins = new Map<string, { plugin: AnyCapturePlugin; index: number }>();
  for (const [index, entry] of loaded.config.plugins.entries()) {
    const fail = (message: string) => configProblem(loaded.file, ['plugins', index, 'module'], message, entry.module);
    let namespace: unknown;
    try {
      namespace = await import(resolveSpecifier(entry.module, loaded.dir));
    } catch (error) {
      throw fail(`cannot load the module: ${firstLine(error)}`);
    }
    let plugin: AnyCapturePlugin;
    try {
      plugin = pluginFromModule(namespace);
    } catch (error) {
      throw fail(firstLine(error));
    }
    const previous = plugins.get(plugin.id);
    if (previous) throw fail(`plugin id "${plugin.id}" is already loaded by plugins[${previous.index}]`);
    plugins.set(plugin.id, { plugin, index });
  }
  return new Map([...plugins].map(([id, { plugin }]) => [id, plugin]));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
