import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { inActiveSpan } from '../../observability/tracing/active-span';
import { registerTracing } from '../../observability/tracing/tracing.sdk';
import type { Tracing } from '../../observability/tracing/tracing.types';
import { openPostgresDatabase } from './pg.database';
import { defined } from '../../testing/defined';

describe('statement spans on PostgreSQL', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => (tracing = registerTracing(new SimpleSpanProcessor({ exporter }), 'spec')));
  afterAll(() => tracing.shutdown());

  test('each statement, transactions included, is a client span with its placeholders and never its values', async () => {
    const db = await openPostgresDatabase(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test');
    try {
      exporter.reset();
      await inActiveSpan('operation', {}, async () => {
        await db.query('SELECT $1::text AS secret', ['sk_live_bound_value_123']);
        await db.transaction((tx) => tx.query('SELECT $1::int AS n', [42]));
        await expect(db.query('SELECT * FROM no_such_table_here WHERE x = $1', ['sk_live_bound_value_123'])).rejects.toThrow();
      });
    } finally {
      await db.close();
    }
    const [last, ...spans] = exporter.getFinishedSpans().reverse();
    const operation = defined(last, 'the operation span');
    spans.reverse();
    expect(spans.map((s) => s.name)).toEqual(['SELECT', 'BEGIN', 'SELECT', 'COMMIT', 'SELECT no_such_table_here']);
    expect(spans.every((s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === operation.spanContext().spanId)).toBe(true);
    expect(spans[0]?.attributes['db.query.text']).toBe('SELECT $1::text AS secret');
    expect(spans[4]?.attributes['error.type']).toBe('42P01');
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.events, s.status]))).not.toContain('sk_live_bound_value_123');
  });

  test('a statement outside any span (a background loop polling) makes none', async () => {
    const db = await openPostgresDatabase(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test');
    try {
      exporter.reset();
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await db.transaction((tx) => tx.query('SELECT 2 AS two'));
    } finally {
      await db.close();
    }
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
