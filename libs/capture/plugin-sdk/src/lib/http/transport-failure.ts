import type { CaptureOutcomeInput } from '@capture-gateway/domain';

// Errors that happen before a byte of the request is sent: nothing can have been captured.
// UND_ERR_CLOSED: the SDK's transport was closed (shutdown) before the call was dispatched.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL', 'UND_ERR_CLOSED']);

function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string') codes.push(e.code);
    if (codes.length > 10) break;
  }
  return codes;
}

/**
 * The outcome of a call that got no HTTP answer. A timeout or a connection lost after the request
 * left is `unknown` (the provider may have captured); a refused connection is `failed`.
 */
export function transportFailureOutcome(error: unknown, providerName: string): CaptureOutcomeInput {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError') {
    return { status: 'unknown', error: { code: 'provider_timeout', message: `${providerName} did not answer in time` } };
  }
  if (name === 'AbortError') {
    return { status: 'unknown', error: { code: 'provider_unavailable', message: `The call to ${providerName} was aborted` } };
  }
  if (causeCodes(error).some((code) => NOT_SENT.has(code))) {
    return {
      status: 'failed',
      error: { code: 'provider_unavailable', message: `${providerName} could not be reached; nothing was sent` },
    };
  }
  return {
    status: 'unknown',
    error: { code: 'provider_unavailable', message: `The connection to ${providerName} failed before it answered` },
  };
}
