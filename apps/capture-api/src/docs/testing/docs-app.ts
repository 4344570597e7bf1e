import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocsModule } from '../docs.module';
import { buildOpenApiDocument } from '../openapi.document';
import { fakePlugins } from './fake-plugins';

/** A Nest Fastify app with only the docs module, documenting the two fake plugins. */
export async function startDocsApp(): Promise<NestFastifyApplication> {
  @Module({ imports: [DocsModule.forRoot({ document: buildOpenApiDocument({ plugins: fakePlugins, version: '9.9.9' }) })] })
  class DocsOnlyModule {}

  const app = await NestFactory.create<NestFastifyApplication>(DocsOnlyModule, new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
