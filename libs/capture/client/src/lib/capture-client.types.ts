import type { Capture, CaptureRequest, CaptureStatus, ErrorCode } from './capture.types.js';

/** What `captures.create` takes (the service's `CaptureRequest`). */
export type CreateCaptureRequest = CaptureRequest;

export interface ListCapturesFilters {
  account?: string;
  status?: CaptureStatus;
  /** ISO date-times bounding `createdAt`. */
  createdFrom?: string;
  createdTo?: string;
  limit?: number;
  cursor?: string;
}

export interface CapturePage {
  data: Capture[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ProviderInfo {
  id: string;
  displayName: string;
  version: string;
  capabilities: {
    partialCapture: boolean;
    multipleCaptures: boolean;
    captureWithoutAmount: boolean;
    webhooks: boolean;
    /** The provider can say what became of a capture: the service settles captures in doubt by itself. */
    statusCheck: boolean;
    currencies: string[] | 'any';
  };
  /** The accounts of this provider that the caller may use. */
  accounts: string[];
}

export interface ProvidersResponse {
  data: ProviderInfo[];
}

/** The error body every route of the service answers with. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; param?: string; provider?: { code?: string; message?: string } };
  capture?: Capture;
  requestId?: string;
}

export interface RetryPolicy {
  /** Attempts after the first. */
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface CaptureClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per attempt, in milliseconds. Default 10 000. */
  timeout?: number;
  retry?: Partial<RetryPolicy>;
}
