import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { registerHttpMetrics } from './http-metrics.hook';
import { MetricsAccess, MetricsServer } from './metrics.access';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Serves `GET /metrics` (behind `metrics.token`, on `metrics.port` when set), records HTTP metrics for every route, and exports `MetricsService`. */
@Module({
  providers: [MetricsService, MetricsAccess, MetricsServer],
  controllers: [MetricsController],
  exports: [MetricsService, MetricsServer],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    registerHttpMetrics(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.metrics);
  }
}
