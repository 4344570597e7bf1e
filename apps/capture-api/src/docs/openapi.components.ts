import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

export type JsonObject = Record<string, unknown>;

/** A zod schema and the name it gets under `#/components/schemas`. */
export interface NamedSchema {
  id: string;
  schema: z.ZodType;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export function schemaRef(id: string): { $ref: string } {
  return { $ref: `${SCHEMA_REF_PREFIX}${id}` };
}

/**
 * Converts zod schemas to OpenAPI 3.1 components (JSON Schema 2020-12) with zod's own converter.
 * Every listed schema becomes a component and is referenced by `$ref` wherever it is nested; a nested
 * schema that carries `.meta({ id })` but is not listed still becomes a named component, so ids stay
 * the names product teams see. `io` picks the shape a client sends (`input`: defaults optional) or
 * receives (`output`).
 */
export function zodComponents(entries: readonly NamedSchema[], io: 'input' | 'output'): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const { id, schema } of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // A plugin's options may hold a type JSON Schema cannot say (a date object, a custom check):
    // it is documented as "any value" rather than stopping the service from starting.
    unrepresentable: 'any',
    uri: (id) => `${SCHEMA_REF_PREFIX}${id}`,
  });
  const { __shared: shared, ...named } = schemas as Record<string, JsonObject>;
  const all = { ...named, ...((shared?.['$defs'] as Record<string, JsonObject> | undefined) ?? {}) };
  // Shared definitions are hoisted next to the others, so their references must point there too.
  const text = JSON.stringify(all).replaceAll(`"${SCHEMA_REF_PREFIX}__shared#/$defs/`, `"${SCHEMA_REF_PREFIX}`);
  const hoisted = JSON.parse(text) as Record<string, JsonObject>;
  return Object.fromEntries(Object.entries(hoisted).map(([id, json]) => [id, withoutIdentity(json)]));
}

// `$schema` and `$id` are implied by OpenAPI 3.1's dialect and the component's place.
function withoutIdentity(json: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = json;
  return rest;
}

/**
 * Joins component maps. A name seen twice must mean the same schema: a request and a response
 * shape that differ (a field with a default, a transform) need two names, not a silent overwrite.
 */
export function mergeComponents(...maps: Array<Record<string, JsonObject>>): Record<string, JsonObject> {
  const merged: Record<string, JsonObject> = {};
  for (const map of maps) {
    for (const [id, json] of Object.entries(map)) {
      if (id in merged && !isDeepStrictEqual(merged[id], json)) {
        throw new Error(`OpenAPI component "${id}" differs between request and response; give each its own id`);
      }
      merged[id] = json;
    }
  }
  return merged;
}
