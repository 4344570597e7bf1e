import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthModule } from './health.module';
import type { ReadinessCheck } from './readiness-check';

@Injectable()
class FakeDatabase {
  reachable = true;
  async ping(): Promise<boolean> {
    if (!this.reachable) throw new Error('connect ECONNREFUSED postgres://user:pw@db');
    return true;
  }
}

@Module({ providers: [FakeDatabase], exports: [FakeDatabase] })
class FakeDatabaseModule {}

const state = { migrated: true, pluginsLoaded: true, hang: false };

@Module({
  imports: [
    HealthModule.forRootAsync({
      imports: [FakeDatabaseModule],
      inject: [FakeDatabase],
      useFactory: (db: FakeDatabase) => ({
        checkTimeoutMs: 100,
        checks: [
          { name: 'database', check: () => db.ping() },
          { name: 'migrations', check: async () => state.migrated },
          { name: 'plugins', check: () => (state.hang ? new Promise<boolean>(() => undefined) : Promise.resolve(state.pluginsLoaded)) },
        ] satisfies ReadinessCheck[],
      }),
    }),
  ],
})
class TestAppModule {}

describe('health endpoints', () => {
  let app: NestFastifyApplication;
  let db: FakeDatabase;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(TestAppModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    db = app.get(FakeDatabase);
  });

  afterAll(() => app.close());

  beforeEach(() => {
    Object.assign(state, { migrated: true, pluginsLoaded: true, hang: false });
    db.reachable = true;
  });

  it('answers live with 200 whatever the checks say', async () => {
    state.migrated = false;
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers ready with 200 and every check when all pass', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'migrations', ok: true },
        { name: 'plugins', ok: true },
      ],
    });
  });

  it('answers 503 naming the failed check when one returns false', async () => {
    state.migrated = false;
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not_ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'migrations', ok: false },
        { name: 'plugins', ok: true },
      ],
    });
  });

  it('counts a throwing check as failed and keeps its error (and credentials) out of the answer', async () => {
    db.reachable = false;
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks[0]).toEqual({ name: 'database', ok: false });
    expect(res.body).not.toContain('pw@db');
  });

  it('counts a check that hangs past its timeout as failed', async () => {
    state.hang = true;
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks[2]).toEqual({ name: 'plugins', ok: false });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
