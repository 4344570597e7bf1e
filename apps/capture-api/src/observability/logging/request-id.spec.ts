import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Writable } from 'node:stream';
import { createAppLogger } from './logger.factory';
import { registerRequestIdHeader, requestIdAdapterOptions, resolveRequestId } from './request-id';
import { registerRequestLogging } from './request-logging';

describe('resolveRequestId', () => {
  it('keeps a sane incoming id', () => {
    expect(resolveRequestId('01J9ZK3T6Q4W2E8R5Y7U')).toBe('01J9ZK3T6Q4W2E8R5Y7U');
    expect(resolveRequestId(['trace-1234.abcd', 'other'])).toBe('trace-1234.abcd');
  });

  it.each([undefined, '', 'short', 'has space in it', 'line\nbreak-injected', 'x'.repeat(129), '{"json":"id"}'])(
    'replaces %j with a generated id',
    (incoming) => {
      const id = resolveRequestId(incoming);
      expect(id).toMatch(/^req_[0-9a-f-]{36}$/);
      expect(resolveRequestId(incoming)).not.toBe(id);
    },
  );
});

@Controller()
class EchoController {
  @Get('echo')
  echo(@Req() request: FastifyRequest) {
    return { id: request.id };
  }

  @Get('items/:id')
  item() {
    return {};
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('request ids in a Fastify app', () => {
  let app: NestFastifyApplication;
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(EchoModule, new FastifyAdapter(requestIdAdapterOptions()), { logger: false });
    registerRequestIdHeader(app.getHttpAdapter().getInstance());
    registerRequestLogging(app.getHttpAdapter().getInstance(), createAppLogger({ destination }).logger);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('echoes a sane incoming id and gives the handler the same one', async () => {
    const res = await app.inject({ method: 'GET', url: '/echo', headers: { 'x-request-id': 'client-trace-0001' } });
    expect(res.headers['x-request-id']).toBe('client-trace-0001');
    expect(res.json()).toEqual({ id: 'client-trace-0001' });
  });

  it('answers an insane one, and a 404, with a generated id', async () => {
    const bad = await app.inject({ method: 'GET', url: '/echo', headers: { 'x-request-id': 'a b' } });
    expect(bad.headers['x-request-id']).toMatch(/^req_/);
    expect(bad.json()).toEqual({ id: bad.headers['x-request-id'] });
    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(/^req_/);
  });

  it('logs one line per request with its id and route pattern, not the raw URL', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/items/5200000000001005?token=abc', headers: { 'x-request-id': 'log-line-test-01' } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      message: 'request completed',
      requestId: 'log-line-test-01',
      method: 'GET',
      route: '/items/:id',
      status: 200,
    });
    expect(lines[0]).not.toContain('5200000000001005');
  });
});
