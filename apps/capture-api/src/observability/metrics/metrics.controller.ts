import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
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
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    // On a port of their own, metrics are not served here: the same answer as any unknown route.
    // Domain errors, not the API's: the error filter answers both in the one shape, and this layer sits below it.
    if (this.access.port !== undefined) throw new DomainError('not_found', 'No such route');
    if (!this.access.authorized(authorization)) {
      throw new DomainError('unauthenticated', 'Missing or invalid metrics token; send Authorization: Bearer <token>');
    }
    reply.header('content-type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}
