import type { SandboxReply } from '@capture-gateway/plugin-sdk/testing';
import { errorBody } from './stripe.sandbox.payloads';

/**
 * Stripe's idempotency, as its docs describe it: the first answer to a key is saved once the
 * endpoint began executing, and the same key replays it (a 500 too); the same key with other
 * parameters, or on another endpoint, is a 400 `idempotency_error`. Keys are never pruned here.
 */
export function createIdempotencyStore() {
  const saved = new Map<string, { fingerprint: string; reply: SandboxReply }>();
  return {
    /** The answer to give without executing, if the key was seen: a replay, or the refusal of a reuse. */
    lookup(key: string | undefined, fingerprint: string): SandboxReply | undefined {
      const entry = key === undefined ? undefined : saved.get(key);
      if (!entry) return undefined;
      if (entry.fingerprint !== fingerprint) {
        const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
        return { status: 400, json: errorBody({ type: 'idempotency_error', message }) };
      }
      if ('status' in entry.reply) return { ...entry.reply, headers: { ...entry.reply.headers, 'idempotent-replayed': 'true' } };
      return entry.reply;
    },
    save(key: string | undefined, fingerprint: string, reply: SandboxReply): void {
      if (key !== undefined) saved.set(key, { fingerprint, reply });
    },
    clear: () => saved.clear(),
  };
}

/** One request's identity for its key: the endpoint and its parameters, in any order. */
export function fingerprintOf(method: string, path: string, params: URLSearchParams): string {
  const sorted = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method} ${path} ${JSON.stringify(sorted)}`;
}
