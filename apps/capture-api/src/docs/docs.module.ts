import { Module } from '@nestjs/common';
import { DocsController } from './docs.controller';
import { DocsModuleBase } from './docs.module-definition';

/**
 * Serves the OpenAPI document at `/openapi.json` and a Swagger UI page at `/docs` whose assets come
 * from the installed swagger-ui-dist (no CDN). `DocsModule.forRoot({ document })`, or
 * `DocsModule.forRootAsync({ imports, inject, useFactory })` when the plugins load asynchronously.
 */
@Module({ controllers: [DocsController] })
export class DocsModule extends DocsModuleBase {}
