import { type CaptureRecord, httpStatusOf } from '@capture-gateway/domain';
import type { ApiError } from '../errors/api.errors';

/** A status code and body, as stored with an idempotency key and replayed byte for byte. */
export interface CaptureResponse {
  status: number;
  body: unknown;
  replayed?: boolean;
  /** `body` as JSON text, once a store serialised it (`responseBodyJson`): a route may send it as it is. */
  bodyJson?: string;
}

/** 201 succeeded, 202 pending or unknown; failed answers with its code's status and the record. */
export function responseForRecord(record: CaptureRecord, requestId: string): CaptureResponse {
  if (record.status === 'succeeded') return { status: 201, body: record };
  if (record.status !== 'failed') return { status: 202, body: record };
  const error = record.error ?? { code: 'provider_declined' as const, message: 'The provider refused the capture' };
  return {
    status: httpStatusOf(error.code),
    body: {
      error: { code: error.code, message: error.message, ...(error.provider ? { provider: error.provider } : {}) },
      capture: record,
      requestId,
    },
  };
}

export function responseForError(error: ApiError, requestId: string): CaptureResponse {
  return { status: error.status, body: error.body(requestId) };
}
