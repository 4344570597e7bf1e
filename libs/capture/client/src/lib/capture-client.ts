import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance } from 'ky';
import { CaptureApiError } from './capture-api.error.js';
import type { Capture } from './capture.types.js';
import type {
  CaptureClientOptions,
  CapturePage,
  CreateCaptureRequest,
  ListCapturesFilters,
  ProvidersResponse,
} from './capture-client.types.js';
import { DEFAULT_RETRY, withRetry } from './create-retry.js';

export interface CaptureClient {
  captures: {
    /** Captures once. Retries only with the same idempotency key, so a retry cannot capture twice. */
    create(request: CreateCaptureRequest, options?: { idempotencyKey?: string }): Promise<Capture>;
    get(id: string): Promise<Capture>;
    /** One page. */
    list(filters?: ListCapturesFilters): Promise<CapturePage>;
    /** Every capture matching the filters, fetching pages as it goes. */
    listAll(filters?: Omit<ListCapturesFilters, 'cursor'>): AsyncIterable<Capture>;
  };
  providers: { list(): Promise<ProvidersResponse> };
}

export function createCaptureClient(options: CaptureClientOptions): CaptureClient {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const http: KyInstance = ky.create({
    prefix: options.baseUrl,
    timeout: options.timeout ?? 10_000,
    // GETs are safe to repeat; creates go through withRetry with their idempotency key instead.
    retry: { limit: policy.limit, methods: ['get'] },
    headers: { authorization: `Bearer ${options.apiKey}` },
  });

  const call = async <T>(send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw toApiError(error);
    }
  };

  const list = (filters: ListCapturesFilters = {}) =>
    call(() => http.get('v1/captures', { searchParams: definedOnly(filters) }).json<CapturePage>());

  return {
    captures: {
      create(request, { idempotencyKey = crypto.randomUUID() } = {}) {
        const send = () =>
          call(() => http.post('v1/captures', { json: request, headers: { 'idempotency-key': idempotencyKey }, retry: 0 }).json<Capture>());
        return withRetry(send, policy);
      },
      get: (id) => call(() => http.get(`v1/captures/${encodeURIComponent(id)}`).json<Capture>()),
      list,
      async *listAll(filters = {}) {
        let cursor: string | undefined;
        do {
          const page = await list({ ...filters, cursor });
          yield* page.data;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      },
    },
    providers: { list: () => call(() => http.get('v1/providers').json<ProvidersResponse>()) },
  };
}

function toApiError(error: unknown): CaptureApiError {
  if (isHTTPError(error)) {
    return CaptureApiError.fromBody(error.response.status, error.data);
  }
  if (isTimeoutError(error)) return new CaptureApiError('timeout', 'The capture service did not answer in time');
  if (isNetworkError(error)) return new CaptureApiError('network_error', 'The capture service could not be reached');
  throw error;
}

function definedOnly(filters: ListCapturesFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([key, value]) => [key, String(value)]),
  );
}
