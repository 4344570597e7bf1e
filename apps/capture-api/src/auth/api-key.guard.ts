import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Scope } from '../config/config.schemas';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api.errors';
import { type ApiClient, ApiClients } from './api-clients';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { bearerToken } from '../http/bearer';

type AuthenticatedRequest = FastifyRequest & { apiClient?: ApiClient };

// Routes that need no API key: operations, the document and its page, the operations page's shell
// and files (its data is under /v1/ops, keyed), and provider webhooks (providers sign those).
// Matched on the route pattern Fastify resolved, never the raw URL.
const PUBLIC_ROUTES = [/^\/health\//, /^\/metrics$/, /^\/openapi\.json$/, /^\/docs(\/|$)/, /^\/ops(\/|$)/, /^\/v1\/webhooks\//];

/** The scope a route needs. Every route that is not public names one: the guard refuses a route that does not. */
export const RequireScope = Reflector.createDecorator<Scope>();

export function isPublicRoute(route: string | undefined): boolean {
  return route !== undefined && PUBLIC_ROUTES.some((pattern) => pattern.test(route));
}

/**
 * `Authorization: Bearer <key>` on every route but the public ones, with the scope the route names.
 * A request with a valid key always passes: failures are counted per source (the client IP, through
 * `server.trustProxy` behind a proxy), and only a source's unauthenticated requests are answered 429
 * once it is over its limit. So one misbehaving caller behind a load balancer cannot lock out the
 * others, valid keys included.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ApiClients) private readonly clients: ApiClients,
    @Inject(AuthFailureLimiter) private readonly limiter: AuthFailureLimiter,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isPublicRoute(request.routeOptions.url)) return true;
    const client = this.clients.authenticate(bearerToken(request.headers.authorization));
    if (!client) {
      // The source: the peer, or with server.trustProxy the client behind the trusted proxies.
      const source = request.ip;
      const retryAfter = this.limiter.retryAfterSeconds(source);
      if (retryAfter > 0) {
        void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(retryAfter));
        throw new ApiError('rate_limited', `Too many failed authentications; retry in ${retryAfter} s`);
      }
      this.limiter.recordFailure(source);
      throw new ApiError('unauthenticated', 'Missing or invalid API key; send Authorization: Bearer <key>');
    }
    const scope = this.reflector.getAllAndOverride(RequireScope, [context.getHandler(), context.getClass()]);
    if (!scope) throw new Error(`route ${request.routeOptions.url} declares no scope`);
    if (!client.scopes.has(scope)) throw new ApiError('insufficient_scope', `This API key lacks the ${scope} scope`);
    request.apiClient = client;
    return true;
  }
}

export const CurrentClient = createParamDecorator((_: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<AuthenticatedRequest>().apiClient;
  if (!client) throw new ApiError('unauthenticated', 'Missing or invalid API key');
  return client;
});
