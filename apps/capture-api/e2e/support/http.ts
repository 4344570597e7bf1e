import type { ApiErrorBody, Capture, CapturePage } from '@capture-gateway/client';
import { randomUUID } from 'node:crypto';
import type { HistoryPage } from './api.types';
import { SHOP_KEY } from './config-file';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  key?: string | null;
  idempotencyKey?: string;
}

/**
 * A small fetch wrapper: JSON in and out, the shop client's key unless told otherwise. `T` is the
 * body the test expects from the route (a capture, an `ApiErrorBody`…): the test asserts the status
 * that goes with it, so a body of another shape fails there, not as a puzzle further down.
 */
export async function call<T = unknown>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? SHOP_KEY : options.key;
  if (key) headers['authorization'] = `Bearer ${key}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as T) : (undefined as T), headers: response.headers };
}

/**
 * POST /v1/captures with a fresh Idempotency-Key, as the service requires by default; `null` sends
 * none (for a service configured with `idempotency.required: false`). The body is the capture
 * (2xx) unless the test expects a refusal: `capture<ApiErrorBody>(…)`.
 */
export const capture = <T = Capture>(baseUrl: string, body: unknown, idempotencyKey?: string | null, key?: string) =>
  call<T>(baseUrl, 'POST', '/v1/captures', {
    body,
    ...(idempotencyKey !== null ? { idempotencyKey: idempotencyKey ?? `e2e-${randomUUID()}` } : {}),
    ...(key ? { key } : {}),
  });

export const getCapture = (baseUrl: string, id: string, options: CallOptions = {}) =>
  call<Capture>(baseUrl, 'GET', `/v1/captures/${id}`, options);

/** GET /v1/captures with a query string (`?account=…&status=…`), or none. */
export const listCaptures = (baseUrl: string, query = '', options: CallOptions = {}) =>
  call<CapturePage>(baseUrl, 'GET', `/v1/captures${query}`, options);

/** A pending capture read again every 100 ms until it is no longer pending, or `tries` reads were made. */
export async function afterPending(baseUrl: string, pending: Capture, tries: number): Promise<Capture> {
  let record = pending;
  for (let i = 0; i < tries && record.status === 'pending'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    record = (await getCapture(baseUrl, pending.id)).body;
  }
  return record;
}

export const getHistory = (baseUrl: string, id: string, options: CallOptions = {}) =>
  call<HistoryPage>(baseUrl, 'GET', `/v1/captures/${id}/history`, options);

/** For answers that may be either: a capture record has an id, an error body never does. */
export const isCapture = (body: Capture | ApiErrorBody): body is Capture => 'id' in body;

export const usd = (amount: number) => ({ amount, currency: 'USD' });
