import { createHash } from 'node:crypto';
import type { LoadedConfig } from './config.schemas';

type Config = LoadedConfig['config'];

/**
 * The sections a reload may change. Everything else (database, plugins, accounts, server, auth
 * limits, event delivery settings, metrics…) is wired into the process at start-up: a change there
 * refuses the whole reload, so the running service never half-follows a file.
 */
export const RELOADABLE_SECTIONS: ReadonlySet<keyof Config> = new Set(['clients']);

/** The top-level sections, other than the reloadable ones, that differ between two configs. */
export function restartOnlyChanges(running: Config, next: Config): string[] {
  const sections = new Set([...Object.keys(running), ...Object.keys(next)] as Array<keyof Config>);
  return [...sections]
    .filter((section) => !RELOADABLE_SECTIONS.has(section))
    .filter((section) => canonical(running[section]) !== canonical(next[section]))
    .sort();
}

/**
 * A short fingerprint of the validated config (env references resolved), to tell which config a
 * replica runs. 12 hex characters of SHA-256: it names a version, it cannot be turned back into keys.
 */
export function configHash(loaded: LoadedConfig): string {
  return createHash('sha256').update(canonical(loaded.config)).digest('hex').slice(0, 12);
}

// JSON with object keys sorted, so the same config always hashes and compares the same.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Date)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
