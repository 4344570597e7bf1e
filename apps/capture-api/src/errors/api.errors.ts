import { type CaptureError, type ErrorCode, httpStatusOf } from '@capture-gateway/domain';

/** An error the API answers with: a stable code, its HTTP status, and the field at fault if any. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
    readonly provider?: CaptureError['provider'],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = httpStatusOf(code);
  }

  body(requestId: string) {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...(this.provider ? { provider: this.provider } : {}),
      },
      requestId,
    };
  }
}

export const notFound = (what = 'resource') => new ApiError('not_found', `No such ${what}`);

/** An error the client may retry, later: answered with a `Retry-After` header. */
export class RetryLaterError extends ApiError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}
