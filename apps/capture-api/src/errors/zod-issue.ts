import { ErrorCodeSchema } from '@capture-gateway/domain';
import type { ZodError } from 'zod';
import { ApiError } from './api.errors';

type Issue = ZodError['issues'][number];

// A refinement may name its own error code in its params (`card_number_in_text`); any other is `invalid_request`.
function codeOf(issue: Issue) {
  const named = issue.code === 'custom' ? ErrorCodeSchema.safeParse((issue.params as { code?: unknown } | undefined)?.code) : undefined;
  return named?.success ? named.data : 'invalid_request';
}

/**
 * The first problem of a refused input as `invalid_request` (or the code its refinement names),
 * naming the field at fault as a dotted path. An unknown field is named itself (zod reports it at
 * its parent's path); a bad key of a record is reported at the record, so the key is not echoed.
 */
export function apiErrorFromZod(error: ZodError, prefix: readonly string[] = []): ApiError {
  let issue = error.issues[0];
  if (!issue) return new ApiError('invalid_request', 'Invalid request');
  // A bad record key is reported at the record (zod puts the key in the path), so it is not echoed.
  const path = [...prefix, ...(issue.code === 'invalid_key' ? issue.path.slice(0, -1) : issue.path).map(String)];
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (unknownKey !== undefined) {
    const param = [...path, unknownKey].join('.');
    return new ApiError('invalid_request', `${param}: unknown field`, param);
  }
  let message = issue.message;
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    if (inner) {
      issue = inner as Issue;
      message = `a key ${inner.message.replace(/^Too (big|small): expected string to have /, 'must have ')}`;
    }
  }
  const param = path.join('.');
  const code = codeOf(issue);
  return param
    ? new ApiError(code, `${param}: ${message}`, param)
    : new ApiError(code, `The request body ${message.replace(/^Invalid input: /, '')}`);
}
