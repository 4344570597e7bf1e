import { redactCardNumbers as redactCards } from '@capture-gateway/domain';
import { z } from 'zod';

/** Marks config fields whose values must never reach a log, a row, a response or an error. */
export const secretRegistry = z.registry<{ secret: true }>();

/**
 * A required secret string in a plugin's `configSchema`. Give checks inside, never after:
 * `secret(z.string().regex(/^sk_/), 'API key')`. A check chained after (`secret().regex(…)`)
 * makes a new schema without the mark, and the value would no longer be redacted.
 */
export function secret<T extends z.ZodType<string> = z.ZodString>(base?: T | string, description?: string): T {
  const text = typeof base === 'string' ? base : description;
  const chosen: z.ZodType<string> = typeof base === 'object' ? base : z.string();
  // An empty secret is no credential: refuse it, whatever the base allows.
  const checked = chosen instanceof z.ZodString ? chosen.min(1) : chosen;
  return (text ? checked.describe(text) : checked).register(secretRegistry, { secret: true }) as unknown as T;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The paths of an object schema's fields marked with `secret()`, nested objects included. */
export function secretPaths(schema: z.ZodType, prefix: string[] = []): string[][] {
  const inner = unwrap(schema);
  if (secretRegistry.has(inner) || secretRegistry.has(schema)) return [prefix];
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape).flatMap(([key, field]) => secretPaths(field as z.ZodType, [...prefix, key]));
}

/** The secret values of one parsed config, for redaction. */
export function secretValues(schema: z.ZodType, config: unknown): string[] {
  return secretPaths(schema).flatMap((path) => {
    const value = path.reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], config);
    // A `secretList()` field holds several: each is redacted.
    return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item.length > 0);
  });
}

/**
 * A list of secrets in a plugin's `configSchema`, such as the webhook secrets an account holds while
 * one is rotated. The list as a whole is marked secret (`withoutSecrets` replaces it whole), and
 * `secretValues` gives each of its values for redaction. `item` checks each value, as `secret(base)`
 * does (Adyen's HMAC keys are hex): a check chained after the list would lose the mark.
 */
export function secretList(description: string, { max = 5, item }: { max?: number; item?: z.ZodType<string> } = {}) {
  return z
    .array(secret(item ?? z.string()))
    .min(1)
    .max(max)
    .describe(description)
    .register(secretRegistry, { secret: true });
}

/** A copy of a config with its secret fields replaced, for anything shown or logged. */
export function withoutSecrets<T>(schema: z.ZodType, config: T): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const path of secretPaths(schema)) {
    const parent = path
      .slice(0, -1)
      .reduce<Record<string, unknown> | undefined>((value, key) => value?.[key] as Record<string, unknown> | undefined, copy);
    const last = path[path.length - 1];
    if (parent && last !== undefined && last in parent) parent[last] = REDACTED;
  }
  return copy as T;
}

export const REDACTED = '[REDACTED]';

/**
 * Replaces every card number in a text with its first six and last four digits, and the digits
 * written with it (an expiry, a CVC) with `*`. The one finder of the domain (`findCardNumbers`):
 * digits split by any short run of spaces, punctuation, line breaks or invisible characters, 13 to
 * 19 of them checked with Luhn. Redact a text before cutting it short.
 */
export function redactCardNumbers(text: string): string {
  return redactCards(text);
}

/** Replaces each secret, and every card number, in a text. Redact before any truncation. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const value of secrets) if (value.length > 0) result = result.split(value).join(REDACTED);
  return redactCardNumbers(result);
}
