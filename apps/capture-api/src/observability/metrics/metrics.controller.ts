import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../../errors/api.errors';
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
    if (this.access.port !== undefined) throw new ApiError('not_found', 'No such route');
    if (!this.access.authorized(authorization)) {
      throw new ApiError('unauthenticated', 'Missing or invalid metrics token; send Authorization: Bearer <token>');
    }
    reply.header('content-type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}
