import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthModuleBase } from './health.module-definition';
import { HealthService } from './health.service';

/**
 * `GET /health/live` and `GET /health/ready`. Give it the readiness checks:
 * `HealthModule.forRoot({ checks })`, or `HealthModule.forRootAsync({ imports, inject, useFactory })`
 * when the checks need other providers (the database, the plugin registry).
 */
@Module({ controllers: [HealthController], providers: [HealthService], exports: [HealthService] })
export class HealthModule extends HealthModuleBase {}
