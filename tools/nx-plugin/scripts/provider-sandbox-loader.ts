import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');

/** The sandbox convention (libs/capture/plugin-sdk/README.md): `start…Sandbox({ port, webhookUrl })`. */
export interface Sandbox {
  baseUrl: string;
  /** Everything an account needs, named like the config fields. */
  accountSettings?: Record<string, string>;
  /** Sandboxes written before `accountSettings`: the credentials alone. */
  credentials?: unknown;
  close(): Promise<void>;
}

/** Starts a workspace provider's sandbox by its convention: the one `start…Sandbox` its sandbox entry exports. */
export async function startSandbox(name: string, options: { port?: number; host?: string; webhookUrl?: string }): Promise<Sandbox> {
  const module = (await import(join(ROOT, 'libs/providers', name, 'src/sandbox/index.ts'))) as Record<string, unknown>;
  const start = Object.entries(module).find(([key, value]) => /^start\w*Sandbox$/.test(key) && typeof value === 'function')?.[1];
  if (!start) throw new Error(`libs/providers/${name}/src/sandbox exports no start…Sandbox() function`);
  return (start as (options: { port?: number; host?: string; webhookUrl?: string }) => Promise<Sandbox>)(options);
}

/** `--name=value` of the command line, if given. */
export function flag(flags: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return flags.find((f) => f.startsWith(prefix))?.slice(prefix.length);
}

/** A port flag, checked: 1 to 65535 (0 for a free one where allowed). */
export function portFlag(flags: readonly string[], name: string): number | undefined {
  const value = flag(flags, name);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--${name} must be a port number, not "${value}"`);
  return port;
}
