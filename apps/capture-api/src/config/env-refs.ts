import { configProblem } from './config.errors';

type Json = unknown;

const isEnvRef = (value: Json): value is { env: string; default?: string } =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { env?: unknown }).env === 'string' &&
  Object.keys(value).every((key) => key === 'env' || key === 'default');

/**
 * Replaces every `{ env: NAME }` leaf with the variable's value, so secrets live in the environment
 * and never in the file. A missing variable is a config error naming the field that refers to it.
 */
export function resolveEnvRefs(value: Json, env: NodeJS.ProcessEnv, file: string, path: PropertyKey[] = [], root: Json = value): Json {
  if (isEnvRef(value)) {
    const resolved = env[value.env] ?? value.default;
    if (resolved === undefined || resolved === '') {
      throw configProblem(file, path, `environment variable ${value.env} is not set`, entryIdAt(root, path));
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveEnvRefs(item, env, file, [...path, i], root));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveEnvRefs(item, env, file, [...path, key], root)]));
  }
  return value;
}

/** The `id` (or `module`) of the list entry a path starts in, for messages. */
export function entryIdAt(root: Json, path: readonly PropertyKey[]): string | undefined {
  const [section, index] = path;
  if (typeof section !== 'string' || typeof index !== 'number') return undefined;
  const entry = (root as Record<string, unknown[] | undefined> | null)?.[section]?.[index] as Record<string, unknown> | undefined;
  const name = entry?.['id'] ?? entry?.['module'];
  return typeof name === 'string' ? name : undefined;
}
