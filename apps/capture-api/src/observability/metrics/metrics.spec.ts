import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsModule } from './metrics.module';
import { MetricsService } from './metrics.service';

@Controller('v1/captures')
class FakeCapturesController {
  @Get(':id')
  get(@Param('id') id: string) {
    if (id === 'cap_missing1') throw new NotFoundException();
    return { id };
  }
}

@Module({ imports: [MetricsModule], controllers: [FakeCapturesController] })
class TestAppModule {}

async function startApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(TestAppModule, new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('MetricsService', () => {
  it('exposes capture counts and provider durations in the Prometheus format', async () => {
    const metrics = new MetricsService();
    metrics.recordCapture({ account: 'acme-eu', provider: 'payengine', outcome: 'succeeded' });
    metrics.recordCapture({ account: 'acme-eu', provider: 'payengine', outcome: 'succeeded' });
    metrics.recordCapture({ account: 'acme-us', provider: 'paymentoptions', outcome: 'unknown' });
    metrics.observeProviderRequest({ provider: 'payengine', outcome: 'succeeded' }, 0.3);
    const text = await metrics.exposition();
    expect(text).toContain('# TYPE captures_total counter');
    expect(text).toContain('captures_total{account="acme-eu",provider="payengine",outcome="succeeded"} 2');
    expect(text).toContain('captures_total{account="acme-us",provider="paymentoptions",outcome="unknown"} 1');
    expect(text).toContain('# TYPE provider_request_duration_seconds histogram');
    expect(text).toContain('provider_request_duration_seconds_bucket{le="0.25",provider="payengine",outcome="succeeded"} 0');
    expect(text).toContain('provider_request_duration_seconds_bucket{le="0.5",provider="payengine",outcome="succeeded"} 1');
    expect(text).toContain('provider_request_duration_seconds_sum{provider="payengine",outcome="succeeded"} 0.3');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('times a provider call', async () => {
    const metrics = new MetricsService();
    const done = metrics.startProviderTimer('payengine');
    await new Promise((resolve) => setTimeout(resolve, 20));
    done('failed');
    const text = await metrics.exposition();
    expect(text).toContain('provider_request_duration_seconds_count{provider="payengine",outcome="failed"} 1');
    const sum = Number(/provider_request_duration_seconds_sum\{provider="payengine",outcome="failed"\} ([\d.e-]+)/.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0.015);
    expect(sum).toBeLessThan(5);
  });

  it('keeps each instance apart (no global registry)', async () => {
    const first = new MetricsService();
    const second = new MetricsService();
    first.recordCapture({ account: 'a', provider: 'p', outcome: 'failed' });
    expect(await second.exposition()).not.toContain('captures_total{');
  });
});

describe('MetricsModule in an app', () => {
  let app: NestFastifyApplication;
  let other: NestFastifyApplication;

  beforeAll(async () => {
    app = await startApp();
    other = await startApp();
  });

  afterAll(async () => {
    await app.close();
    await other.close();
  });

  it('serves GET /metrics with HTTP counts by route pattern, not by URL', async () => {
    await app.inject({ method: 'GET', url: '/v1/captures/cap_abcdefgh1' });
    await app.inject({ method: 'GET', url: '/v1/captures/cap_abcdefgh2?x=1' });
    await app.inject({ method: 'GET', url: '/v1/captures/cap_missing1' });
    await app.inject({ method: 'GET', url: '/no/such/route/cap_secret' });

    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('http_requests_total{method="GET",route="/v1/captures/:id",status="200"} 2');
    expect(res.body).toContain('http_requests_total{method="GET",route="/v1/captures/:id",status="404"} 1');
    expect(res.body).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.body).toContain('http_request_duration_seconds_count{method="GET",route="/v1/captures/:id",status="200"} 2');
    expect(res.body).not.toContain('cap_abcdefgh');
    expect(res.body).not.toContain('cap_secret');
  });

  it('keeps two apps in one process apart', async () => {
    await other.inject({ method: 'GET', url: '/v1/captures/cap_otherapp1' });
    const res = await other.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('http_requests_total{method="GET",route="/v1/captures/:id",status="200"} 1');
    expect(other.get(MetricsService)).not.toBe(app.get(MetricsService));
  });
});
