import { ERROR_CODES, ERROR_HTTP_STATUS, type ErrorCode } from '@capture-gateway/domain';
import { schemaRef, type JsonObject } from './openapi.components';

/** The status of every stable error code, as a Markdown table for the `ErrorCode` component. */
export function errorCodeTable(): string {
  const rows = ERROR_CODES.map((code) => `| \`${code}\` | ${ERROR_HTTP_STATUS[code]} |`);
  return [
    'Stable error codes to branch on, with the HTTP status each is sent with.',
    '',
    '| code | HTTP status |',
    '| --- | --- |',
    ...rows,
  ].join('\n');
}

function codesWithStatus(status: number): ErrorCode[] {
  return ERROR_CODES.filter((code) => ERROR_HTTP_STATUS[code] === status);
}

/** Error responses for the given statuses, each naming the error codes it can carry. */
export function errorResponses(statuses: readonly number[]): Record<string, JsonObject> {
  return Object.fromEntries(
    statuses.map((status) => {
      const codes = codesWithStatus(status);
      if (codes.length === 0) throw new Error(`No error code is sent with HTTP ${status}`);
      return [
        String(status),
        {
          description: `Error: ${codes.map((code) => `\`${code}\``).join(', ')}`,
          headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
          content: { 'application/json': { schema: schemaRef('Error') } },
        },
      ];
    }),
  );
}

export function jsonResponse(description: string, schemaId: string): JsonObject {
  return {
    description,
    headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
    content: { 'application/json': { schema: schemaRef(schemaId) } },
  };
}
