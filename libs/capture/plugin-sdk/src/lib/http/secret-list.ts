import { z } from 'zod';
import { secret, secretPaths, secretRegistry } from '../secrets';

/**
 * A list of secrets in a plugin's `configSchema`, such as the webhook secrets an account holds while
 * one is rotated. The list as a whole is marked secret (`withoutSecrets` replaces it whole), and
 * `accountSecretValues` gives each of its values for redaction.
 */
export function secretList(description: string, { max = 5 }: { max?: number } = {}) {
  return z.array(secret()).min(1).max(max).describe(description).register(secretRegistry, { secret: true });
}

/**
 * The secret values of one parsed config, for redaction: `secretValues`, plus each value of a
 * `secretList()` field. The service's registry and the HTTP skeleton both use it.
 */
export function accountSecretValues(schema: z.ZodType, config: unknown): string[] {
  return secretPaths(schema).flatMap((path) => {
    const value = path.reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], config);
    return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item.length > 0);
  });
}
