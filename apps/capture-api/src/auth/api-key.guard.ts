import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Scope } from '../config/clients.schemas';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api.errors';
import type { ApiClient } from './api-clients';
import { BearerAuth, requireScope } from './bearer-auth';
import { CSRF_HEADER, OPS_SESSION_COOKIE, type OpsSession, OpsSessions, readCookie, sessionCookie } from './ops-session';

export type AuthenticatedRequest = FastifyRequest & { apiClient?: ApiClient; opsSession?: OpsSession };

// Routes that need no API key: operations, the document and its page, the operations page's shell
// and files (its data is under /v1/ops, keyed), and provider webhooks (providers sign those).
// Matched on the route pattern Fastify resolved, never the raw URL.
const PUBLIC_ROUTES = [/^\/health\//, /^\/metrics$/, /^\/openapi\.json$/, /^\/docs(\/|$)/, /^\/ops(\/|$)/, /^\/v1\/webhooks\//];

/** The scope a route needs. Every route that is not public names one: the guard refuses a route that does not. */
export const RequireScope = Reflector.createDecorator<Scope>();

// The routes the operations page calls, the only ones an operator session (the page's cookie) may
// reach: its data, reading captures and their history, resolving and acknowledging. Never creating
// captures or anything else a product's API key does. Method and Fastify route pattern.
const SESSION_ROUTES = new Set([
  'GET /v1/ops/attention',
  'GET /v1/ops/health',
  'GET /v1/ops/session',
  'DELETE /v1/ops/session',
  'GET /v1/captures',
  'GET /v1/captures/:id',
  'GET /v1/captures/:id/history',
  'POST /v1/captures/:id/resolve',
  'POST /v1/captures/:id/acknowledge',
]);

/** Whether the request came over TLS, directly or (per its forwarded protocol) through a proxy. */
export function overTls(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return request.protocol === 'https' || first === 'https';
}

export function isPublicRoute(route: string | undefined): boolean {
  return route !== undefined && PUBLIC_ROUTES.some((pattern) => pattern.test(route));
}

/**
 * `Authorization: Bearer <key>` (through `BearerAuth`, the step POST /v1/captures shares) on every
 * route but the public ones, with the scope the route names; or the ops page's session, on its routes.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(BearerAuth) private readonly auth: BearerAuth,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(OpsSessions) private readonly sessions: OpsSessions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isPublicRoute(request.routeOptions.url)) return true;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const client = this.auth.authenticate(request, reply, () => this.fromSession(context, request));
    const scope = this.reflector.getAllAndOverride(RequireScope, [context.getHandler(), context.getClass()]);
    if (!scope) throw new Error(`route ${request.routeOptions.url} declares no scope`);
    requireScope(client, scope);
    request.apiClient = client;
    return true;
  }

  /**
   * The operator behind the ops page's session cookie, on the page's routes only. A state-changing
   * request must also carry the session's CSRF token in a header (SameSite=Strict is the first line;
   * this is the second). A session used past its first minute is renewed with a fresh cookie.
   */
  private fromSession(context: ExecutionContext, request: AuthenticatedRequest): ApiClient | undefined {
    if (!SESSION_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`)) return undefined;
    const session = this.sessions.check(readCookie(request.headers.cookie, OPS_SESSION_COOKIE));
    if (!session) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = request.headers[CSRF_HEADER];
      if (!this.sessions.csrfMatches(session, Array.isArray(token) ? token[0] : token)) {
        throw new ApiError('csrf_token_invalid', `Missing or wrong ${CSRF_HEADER} header for this operator session`);
      }
    }
    if (session.renewed) {
      void context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('set-cookie', sessionCookie(session.renewed, overTls(request)));
    }
    request.opsSession = session;
    return session.client;
  }
}

export const CurrentClient = createParamDecorator((_: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<AuthenticatedRequest>().apiClient;
  if (!client) throw new ApiError('unauthenticated', 'Missing or invalid API key');
  return client;
});
