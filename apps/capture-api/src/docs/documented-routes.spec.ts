import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthModule, MetricsModule } from '../observability';
import { DocsModule } from './docs.module';
import { buildOpenApiDocument, DOCUMENTED_ROUTES } from './openapi.document';
import { LivenessSchema, ReadinessSchema } from './openapi.schemas';

// The operational routes this folder and observability/ register must be in the document, and answer
// in the documented shape. (The lead's app-level test does the same for every route of the app.)
@Module({
  imports: [
    DocsModule.forRoot({ document: buildOpenApiDocument({ plugins: [], version: '0.0.0' }) }),
    MetricsModule,
    HealthModule.forRoot({ checks: [{ name: 'always', check: async () => true }] }),
  ],
})
class OperationsModule {}

describe('operational routes', () => {
  let app: NestFastifyApplication;
  const registered: Array<{ method: string; url: string }> = [];

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(OperationsModule, new FastifyAdapter(), { logger: false });
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push({ method, url: route.url });
      });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('are all documented, except the docs page and its assets', () => {
    const api = registered.filter((route) => !route.url.startsWith('/docs'));
    expect(api.length).toBe(4);
    for (const route of api) {
      expect(DOCUMENTED_ROUTES).toContainEqual(expect.objectContaining({ method: route.method, routePath: route.url }));
    }
  });

  it('answer health checks in the documented shapes', async () => {
    expect(LivenessSchema.safeParse((await app.inject({ method: 'GET', url: '/health/live' })).json()).success).toBe(true);
    expect(ReadinessSchema.safeParse((await app.inject({ method: 'GET', url: '/health/ready' })).json()).success).toBe(true);
  });
});
