import { randomUUID } from 'node:crypto';
import { SHOP_KEY } from './config-file';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small fetch wrapper: JSON in and out, the shop client's key unless told otherwise. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; key?: string | null; idempotencyKey?: string } = {},
): Promise<Reply<T>> {
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
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/**
 * POST /v1/captures with a fresh Idempotency-Key, as the service requires by default; `null` sends
 * none (for a service configured with `idempotency.required: false`).
 */
export const capture = (baseUrl: string, body: unknown, idempotencyKey?: string | null, key?: string) =>
  call(baseUrl, 'POST', '/v1/captures', {
    body,
    ...(idempotencyKey !== null ? { idempotencyKey: idempotencyKey ?? `e2e-${randomUUID()}` } : {}),
    ...(key ? { key } : {}),
  });

export const usd = (amount: number) => ({ amount, currency: 'USD' });
