import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Scope } from '../config/clients.schemas';
import { ApiError } from '../errors/api.errors';
import { bearerToken } from '../http/bearer';
import { type ApiClient, ApiClients } from './api-clients';
import { AuthFailureLimiter } from './auth-failure.limiter';

/**
 * The one authentication step, shared by the global guard and the routes served outside Nest's
 * pipeline (POST /v1/captures): `Authorization: Bearer <key>`, or the credential `otherwise` finds
 * when there is no bearer (the guard's operator session, on the ops page's routes only).
 * A request with a valid key always passes: failures are counted per source (the client IP, through
 * `server.trustProxy` behind a proxy), and only a source's unauthenticated requests are answered 429
 * once it is over its limit. So one misbehaving caller behind a load balancer cannot lock out the
 * others, valid keys included.
 */
@Injectable()
export class BearerAuth {
  constructor(
    @Inject(ApiClients) private readonly clients: ApiClients,
    @Inject(AuthFailureLimiter) private readonly limiter: AuthFailureLimiter,
  ) {}

  /** The caller, or throws `rate_limited` (with Retry-After on `reply`) or `unauthenticated`. */
  authenticate(request: FastifyRequest, reply: FastifyReply, otherwise?: () => ApiClient | undefined): ApiClient {
    const bearer = bearerToken(request.headers.authorization);
    const client = bearer ? this.clients.authenticate(bearer) : otherwise?.();
    if (client) return client;
    // The source: the peer, or with server.trustProxy the client behind the trusted proxies.
    const source = request.ip;
    const retryAfter = this.limiter.retryAfterSeconds(source);
    if (retryAfter > 0) {
      void reply.header('retry-after', String(retryAfter));
      throw new ApiError('rate_limited', `Too many failed authentications; retry in ${retryAfter} s`);
    }
    this.limiter.recordFailure(source);
    throw new ApiError('unauthenticated', 'Missing or invalid API key; send Authorization: Bearer <key>');
  }
}

/** Throws `insufficient_scope` unless the caller's key carries `scope`. */
export function requireScope(client: ApiClient, scope: Scope): void {
  if (!client.scopes.has(scope)) throw new ApiError('insufficient_scope', `This API key lacks the ${scope} scope`);
}
