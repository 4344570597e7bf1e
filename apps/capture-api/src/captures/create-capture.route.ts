import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BearerAuth, requireScope } from '../auth/bearer-auth';
import { ErrorReplies } from '../errors/error-reply';
import { APP_LOGGER, type AppLogger } from '../observability';
import { CREATE_CAPTURE_RESPONSES } from './capture-response.schemas';
import { CapturesService } from './captures.service';

/**
 * `POST /v1/captures`, the hot path, as a plain Fastify route on the adapter's instance: no guard,
 * interceptor, pipe or param-decorator machinery per request. Registered here, in onModuleInit, so
 * the captures module owns its route and its dependencies come from Nest's container (as the HTTP
 * metrics hook does); Nest has registered its body parsers by then and the instance is not yet ready.
 * The global hooks (request id, security headers, tracing, logging, metrics) are instance-wide and
 * cover it; auth and error answers are the guard's and the filter's own code (`BearerAuth`, `ErrorReplies`).
 */
@Injectable()
export class CreateCaptureRoute implements OnModuleInit {
  private readonly errors: ErrorReplies;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(CapturesService) private readonly captures: CapturesService,
    @Inject(BearerAuth) private readonly auth: BearerAuth,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.errors = new ErrorReplies(appLogger);
  }

  onModuleInit(): void {
    // An application context without HTTP (a script, a test of the module alone) has no adapter.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.route({
      method: 'POST',
      url: '/v1/captures',
      schema: { response: CREATE_CAPTURE_RESPONSES },
      // Body refusals (not JSON, too large, wrong media type) and the handler's errors: the one error shape.
      errorHandler: (error, request, reply) => this.errors.send(error, request, reply),
      handler: (request, reply) => this.create(request, reply),
    });
  }

  private async create(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // The session cookie is never a way in here: creating captures takes a product's API key.
    const client = this.auth.authenticate(request, reply);
    requireScope(client, 'captures:create');
    const key = request.headers['idempotency-key'];
    const response = await this.captures.create(
      client,
      request.body,
      Array.isArray(key) ? key[0] : key,
      String(request.id),
      endedSignal(reply),
    );
    if (response.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(response.status).send(response.body);
  }
}

// Aborts when the connection closes before the answer is sent: a capture still waiting for a provider slot stops waiting.
function endedSignal(reply: FastifyReply): AbortSignal {
  const ended = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ended.abort();
  });
  return ended.signal;
}
