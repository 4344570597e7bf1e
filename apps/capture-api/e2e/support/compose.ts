import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { WORKSPACE_ROOT } from './service';

export interface ComposeService {
  build?: string;
  image?: string;
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  healthcheck?: unknown;
  mem_limit?: string;
  command?: string | string[];
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export const readCompose = (): ComposeFile => parseYaml(readFileSync(join(WORKSPACE_ROOT, 'compose.yaml'), 'utf8')) as ComposeFile;

/** The host variables a compose value reads (`${NAME}`, `${NAME:?message}`, `${NAME:-default}`). */
export const variablesIn = (value: string): string[] =>
  Array.from(value.matchAll(/\$\{([A-Z0-9_]+)(?::?[?-][^}]*)?\}/g), ([, name = '']) => name);

/** A compose value with its `${…}` filled from `vars`, as compose would; an unset required one throws. */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value
    .replace(/\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
      const set = vars[name];
      if (set !== undefined && set !== '') return set;
      if (kind === '-') return rest ?? '';
      if (kind === '?') throw new Error(`compose would refuse to start: ${rest}`);
      return '';
    })
    .replace(/\$\$/g, '$');
}

/** `35s`, `1m30s` as milliseconds. */
export function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  for (const [, amount, unit = ''] of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const ms = units[unit];
    if (ms === undefined) throw new Error(`no unit ${unit} in duration ${value}`);
    total += Number(amount) * ms;
  }
  return total;
}
