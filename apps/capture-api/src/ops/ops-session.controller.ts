import { Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedRequest, CurrentClient, overTls, RequireScope } from '../auth/api-key.guard';
import type { ApiClient } from '../auth/api-clients';
import { OPS_SESSION_COOKIE, type OpsSession, OpsSessions, readCookie, sessionCookie } from '../auth/ops-session';
import { ApiError } from '../errors/api.errors';

// What the page may know of its session: who, until when, and the CSRF token it sends on changes.
// Never the key, never the cookie's value (HttpOnly: the page cannot read it either).
const describe = (session: OpsSession) => ({
  client: session.client.id,
  keyId: session.client.keyId,
  scopes: [...session.client.scopes].sort(),
  expiresAt: session.expiresAt.toISOString(),
  csrfToken: session.csrfToken,
});

/**
 * The ops page's operator session: opened with the pasted API key (Bearer, scope ops:read), then
 * carried by an HttpOnly, SameSite=Strict cookie for 15 minutes, renewed while in use.
 */
@Controller('v1/ops/session')
export class OpsSessionController {
  constructor(@Inject(OpsSessions) private readonly sessions: OpsSessions) {}

  @Post()
  @HttpCode(201)
  @RequireScope('ops:read')
  open(@CurrentClient() client: ApiClient, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const opened = this.sessions.open(client);
    if (!opened) throw new ApiError('unauthenticated', 'Missing or invalid API key');
    void reply.header('set-cookie', sessionCookie(opened.cookie, overTls(request))).header('cache-control', 'no-store');
    return describe(opened.session);
  }

  @Get()
  @RequireScope('ops:read')
  current(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!request.opsSession) throw new ApiError('unauthenticated', 'No operator session: open one with POST /v1/ops/session');
    void reply.header('cache-control', 'no-store');
    return describe(request.opsSession);
  }

  @Delete()
  @HttpCode(204)
  @RequireScope('ops:read')
  close(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    this.sessions.signOut(readCookie(request.headers.cookie, OPS_SESSION_COOKIE));
    void reply.header('set-cookie', sessionCookie(undefined, overTls(request)));
  }
}
