import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiClient, ApiClients } from './api-clients';

export const OPS_SESSION_COOKIE = 'cg_ops_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session lives this long after its last use: each use past the first minute renews it. */
export const OPS_SESSION_TTL_MS = 15 * 60_000;
const RENEW_AFTER_MS = 60_000;

interface SessionPayload {
  /** client id, key id, issued and expiry (ms), and the nonce the CSRF token is derived from. */
  c: string;
  k: string;
  iat: number;
  exp: number;
  n: string;
}

export interface OpsSession {
  client: ApiClient;
  expiresAt: Date;
  csrfToken: string;
  /** A fresh cookie value when this use renewed the session; undefined when the old one still stands. */
  renewed?: string;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Operator sessions for the ops page, as signed cookies holding no secret. The signing key is
 * derived from the hash of the API key the session was opened with, which the registry holds:
 * every replica can check a session any replica issued, and rotating or removing the key revokes
 * every session opened with it (the registry no longer knows the key, so nothing verifies). A
 * restart alone does not revoke a session (it has no per-process secret); sign-out drops the cookie
 * and remembers the session as revoked in this replica until it expires.
 */
export class OpsSessions {
  private readonly signedOut = new Map<string, number>();

  constructor(
    private readonly clients: () => ApiClients,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for a caller that just authenticated with its key: the cookie value and its CSRF token. */
  open(client: ApiClient): { cookie: string; session: OpsSession } | undefined {
    const now = this.now();
    const payload: SessionPayload = { c: client.id, k: client.keyId, iat: now, exp: now + OPS_SESSION_TTL_MS, n: b64(randomBytes(16)) };
    return this.sign(payload, client);
  }

  /** The session this cookie value carries, if it is well signed, unexpired, not signed out, and its key still valid. */
  check(value: string | undefined): OpsSession | undefined {
    const payload = this.verify(value);
    if (!payload) return undefined;
    const now = this.now();
    const resolved = this.clients().byKeyId(payload.c, payload.k, new Date(now));
    if (!resolved) return undefined;
    const expected = this.signature(resolved.secret, value?.split('.')[0] ?? '');
    const given = Buffer.from(value?.split('.')[1] ?? '', 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (payload.exp <= now || this.signedOut.has(payload.n)) return undefined;
    const csrfToken = this.csrf(resolved.secret, payload.n);
    if (now - payload.iat < RENEW_AFTER_MS) return { client: resolved.client, expiresAt: new Date(payload.exp), csrfToken };
    const renewed = this.sign({ ...payload, iat: now, exp: now + OPS_SESSION_TTL_MS }, resolved.client);
    return renewed && { ...renewed.session, renewed: renewed.cookie };
  }

  /** Whether `token` is this session's CSRF token (constant time). */
  csrfMatches(session: OpsSession, token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Remembers a signed-out session as revoked here until it would have expired. */
  signOut(value: string | undefined): void {
    const payload = this.verify(value);
    const now = this.now();
    for (const [nonce, exp] of this.signedOut) if (exp <= now) this.signedOut.delete(nonce);
    if (payload) this.signedOut.set(payload.n, payload.exp);
  }

  private sign(payload: SessionPayload, client: ApiClient) {
    const resolved = this.clients().byKeyId(client.id, client.keyId, new Date(this.now()));
    if (!resolved) return undefined;
    const body = b64(JSON.stringify(payload));
    const cookie = `${body}.${b64(this.signature(resolved.secret, body))}`;
    return {
      cookie,
      session: { client: resolved.client, expiresAt: new Date(payload.exp), csrfToken: this.csrf(resolved.secret, payload.n) },
    };
  }

  private verify(value: string | undefined): SessionPayload | undefined {
    const [body, signature, extra] = (value ?? '').split('.');
    if (!body || !signature || extra !== undefined || value === undefined || value.length > 1024) return undefined;
    try {
      const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<SessionPayload>;
      const { c, k, iat, exp, n } = parsed;
      if (typeof c !== 'string' || typeof k !== 'string' || typeof n !== 'string') return undefined;
      if (typeof iat !== 'number' || typeof exp !== 'number') return undefined;
      return { c, k, iat, exp, n };
    } catch {
      return undefined;
    }
  }

  private signature(secret: Buffer, body: string): Buffer {
    return createHmac('sha256', secret).update(`session.${body}`).digest();
  }

  private csrf(secret: Buffer, nonce: string): string {
    return createHmac('sha256', secret).update(`csrf.${nonce}`).digest('base64url');
  }
}

/** The value of one cookie in a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie header for a session value (or, with `undefined`, one that deletes it). */
export function sessionCookie(value: string | undefined, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  const lifetime = value === undefined ? 'Max-Age=0' : `Max-Age=${OPS_SESSION_TTL_MS / 1000}`;
  return [`${OPS_SESSION_COOKIE}=${value ?? ''}`, lifetime, ...attributes].join('; ');
}
