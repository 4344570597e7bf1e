import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@capture-gateway/domain';
import { MetricsAccess } from './metrics.access';
import { MetricsService } from './metrics.service';

@Controller()
export class MetricsController {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(MetricsAccess) private readonly access: MetricsAccess,
  ) {}

  @Get('metrics')
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    // Domain errors, not the API's: the error filter answers both in the one shape, and this layer sits below it.
    // On a port of their own, metrics are not served here: the same answer as any unknown route.
    if (this.access.port !== undefined) throw new DomainError('not_found', 'No such route');
    // The source as the API's guard sees it: the peer, or behind server.trustProxy the client.
    const refused = this.access.refusal(request.headers.authorization, request.ip);
    if (refused) {
      if (refused.status === 429) void reply.header('retry-after', String(refused.retryAfterSeconds));
      throw new DomainError(refused.code, refused.message);
    }
    reply.header('content-type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}
