import type { ApiErrorBody } from './capture-client.types.js';
import type { Capture, ErrorCode } from './capture.types.js';

/** Codes the client adds for calls that got no answer from the service. */
export type ClientErrorCode = ErrorCode | 'network_error' | 'timeout' | 'unexpected_response';

/** The one error the client throws: the stable code, the field at fault and the request id. */
export class CaptureApiError extends Error {
  override readonly name = 'CaptureApiError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status?: number,
    readonly param?: string,
    readonly requestId?: string,
    readonly provider?: { code?: string; message?: string },
    /** For a failed capture: the stored record, with its id. */
    readonly capture?: Capture,
  ) {
    super(message);
  }

  static fromBody(status: number, body: unknown): CaptureApiError {
    const parsed = body as Partial<ApiErrorBody> | undefined;
    const error = parsed?.error;
    if (!error?.code) return new CaptureApiError('unexpected_response', `The service answered ${status} without an error body`, status);
    return new CaptureApiError(error.code, error.message, status, error.param, parsed?.requestId, error.provider, parsed?.capture);
  }
}
