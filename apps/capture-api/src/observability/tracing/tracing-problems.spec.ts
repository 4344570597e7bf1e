import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { diag, trace } from '@opentelemetry/api';
import { createAppLogger } from '../logging/logger.factory';
import { otlpHeaderValues, reportTracingProblems } from './tracing-problems';
import { startTracing } from './tracing.setup';

const TOKEN = 'otlp_token_SECRET_9876';

describe('tracing problems in the log', () => {
  let server: Server;
  let endpoint: string;
  const saved = process.env['OTEL_EXPORTER_OTLP_HEADERS'];

  beforeAll(async () => {
    // A collector that refuses every export, quoting the token it was sent.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400, { 'content-type': 'text/plain' }).end(`refused for ${req.headers['authorization']}`));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env['OTEL_EXPORTER_OTLP_HEADERS'];
    else process.env['OTEL_EXPORTER_OTLP_HEADERS'] = saved;
    diag.disable();
    await new Promise((closed) => server.close(closed));
  });

  test('the OTLP header values, raw and URL-decoded', () => {
    expect(
      otlpHeaderValues({
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc123,x-team= ops ',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'k=v2',
      }),
    ).toEqual(['Bearer%20abc123', 'Bearer abc123', 'ops', 'ops', 'v2', 'v2']);
    expect(otlpHeaderValues({})).toEqual([]);
  });

  test('a refused export is a warning line, with the collector token redacted', async () => {
    // The exporter reads its headers from the process environment, as in production.
    process.env['OTEL_EXPORTER_OTLP_HEADERS'] = `authorization=${TOKEN}`;
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const appLogger = createAppLogger({ destination });
    const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    reportTracingProblems(appLogger, process.env);
    // A full batch (512 spans) is exported at once, without waiting for the processor's delay.
    for (let i = 0; i < 512; i++) trace.getTracer('probe').startSpan(`span ${i}`).end();
    for (let i = 0; i < 50 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await tracing.shutdown();
    const warning = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l['context'] === 'Tracing');
    expect(warning).toMatchObject({ level: 'warn', message: 'tracing: export failed: Bad Request (400): refused for [REDACTED]' });
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
