import { DomainError } from '@capture-gateway/domain';

/** Stripe's rule for its object ids, and a bound for any provider that documents none. */
export const DEFAULT_MAX_PATH_ID_LENGTH = 255;

/** The request's identifiers a provider puts in a path, each checked and percent-encoded when read. */
export interface PathIds {
  readonly authorisationId: string;
  readonly captureId: string;
  /** `undefined` where the request has none (a status check after a timeout). */
  readonly providerCaptureId: string | undefined;
}

// A separator, a parent or current directory, whitespace, a control character: any of them could
// send the call to another resource than the one named, so the id is refused rather than encoded.
const UNSAFE = /[/\\\s\p{Cc}]|\.\./u;

/**
 * Why an id cannot be one path segment, or `undefined` when it can: empty, `.`, a `/` or `\`, `..`,
 * whitespace, a control character, or longer than `maxLength`. Never quotes the id.
 */
export function unsafePathId(value: string, maxLength = DEFAULT_MAX_PATH_ID_LENGTH): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > maxLength) return `is longer than ${maxLength} characters`;
  if (value === '.' || UNSAFE.test(value)) return 'contains "/", "\\", "..", whitespace or a control character';
  return undefined;
}

/**
 * One id as one path segment, percent-encoded; an unsafe one is refused (`invalid_request`, its
 * `param`) so nothing is sent to a path the request never named.
 */
export function pathSegment(value: string, param: string, providerName: string, maxLength = DEFAULT_MAX_PATH_ID_LENGTH): string {
  const problem = unsafePathId(value, maxLength);
  if (problem) throw new DomainError('invalid_request', `The ${param} ${problem}, so it cannot name a ${providerName} resource`, param);
  return encodeURIComponent(value);
}

/**
 * The ids of a capture or status-check request, checked and encoded only when a path reads them: a
 * path that never reads `captureId` is not refused for it.
 */
export function pathIdsOf(
  request: { authorisationId: string; captureId: string; providerCaptureId?: string },
  providerName: string,
  maxLength?: number,
): PathIds {
  return {
    get authorisationId() {
      return pathSegment(request.authorisationId, 'authorisationId', providerName, maxLength);
    },
    get captureId() {
      return pathSegment(request.captureId, 'captureId', providerName, maxLength);
    },
    get providerCaptureId() {
      const id = request.providerCaptureId;
      return id === undefined ? undefined : pathSegment(id, 'providerCaptureId', providerName, maxLength);
    },
  };
}
