import type { ZodError } from 'zod';
import { ApiError } from './api.errors';

/**
 * The first problem of a refused input as `invalid_request`, naming the field at fault as a dotted
 * path. An unknown field is named itself (zod reports it at its parent's path).
 */
export function apiErrorFromZod(error: ZodError, prefix: readonly string[] = []): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError('invalid_request', 'Invalid request');
  const path = [...prefix, ...issue.path.map(String)];
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (unknownKey !== undefined) {
    const param = [...path, unknownKey].join('.');
    return new ApiError('invalid_request', `${param}: unknown field`, param);
  }
  const param = path.join('.');
  return param
    ? new ApiError('invalid_request', `${param}: ${issue.message}`, param)
    : new ApiError('invalid_request', `The request body ${issue.message.replace(/^Invalid input: /, '')}`);
}
