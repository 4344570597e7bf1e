import type { JsonObject } from './openapi.components';

/** Security and parameters the path operations share. */
export const BEARER = [{ bearerAuth: [] }];
export const PUBLIC: never[] = [];

export const captureIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Our id of the capture',
  schema: { type: 'string', pattern: '^cap_[0-9A-Za-z]{8,64}$' },
};

// A query schema's properties as OpenAPI query parameters.
export const queryParameters = (queryProperties: Record<string, JsonObject>) =>
  Object.entries(queryProperties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
