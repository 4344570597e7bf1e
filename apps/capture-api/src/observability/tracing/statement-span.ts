import { type Attributes, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from '@opentelemetry/semantic-conventions';
import { tracer } from './tracer';

export type DbSystem = 'postgresql' | 'sqlite';

interface StatementShape {
  name: string;
  attributes: Attributes;
}

// A statement's verb and first table: `INSERT INTO captures` -> INSERT captures; a CTE (`WITH x AS (
// UPDATE captures …`) is named by the statement inside it, where the work is.
const SHAPE = /^\s*(?:WITH\s+\w+\s+AS\s*\(\s*)?(SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|ROLLBACK|CREATE|ALTER|DROP|PRAGMA)\b/i;
const TABLE = /\b(?:FROM|INTO|UPDATE|TABLE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"?([A-Za-z_][\w.]*)"?/i;

const shapes = new Map<string, StatementShape>();
const MAX_CACHED_SHAPES = 1_000;

/**
 * Span name and attributes of a statement, computed once per SQL text. The text carries `$1`/`?`
 * placeholders, never the bound values: those are not read here and never reach a span.
 */
export function statementShape(system: DbSystem, sql: string): StatementShape {
  const key = `${system}\u0000${sql}`;
  let shape = shapes.get(key);
  if (shape) return shape;
  const verb = SHAPE.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
  const table = ['BEGIN', 'COMMIT', 'ROLLBACK'].includes(verb) ? undefined : TABLE.exec(sql)?.[1];
  shape = {
    name: table ? `${verb} ${table}` : verb,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: system,
      // The name before semantic conventions 1.26, which many backends still group by.
      'db.system': system,
      [ATTR_DB_OPERATION_NAME]: verb,
      ...(table ? { [ATTR_DB_COLLECTION_NAME]: table } : {}),
      [ATTR_DB_QUERY_TEXT]: sql.replace(/\s+/g, ' ').trim(),
    },
  };
  if (shapes.size < MAX_CACHED_SHAPES) shapes.set(key, shape);
  return shape;
}

// Only inside a traced operation (a request, a provider call): the background loops' polling
// statements would otherwise each be a trace of one span, every few seconds, for ever.
const untraced = () => trace.getActiveSpan() === undefined;

/** Runs one asynchronous statement (PostgreSQL) inside its client span, when a span is active. */
export async function traceStatement<T>(system: DbSystem, sql: string, run: () => Promise<T>): Promise<T> {
  if (untraced()) return run();
  const { name, attributes } = statementShape(system, sql);
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes });
  try {
    return await run();
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Runs one synchronous statement (the embedded store's node:sqlite) inside its client span, when a span is active. */
export function traceStatementSync<T>(system: DbSystem, sql: string, run: () => T): T {
  if (untraced()) return run();
  const { name, attributes } = statementShape(system, sql);
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes });
  try {
    return run();
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

// The error's class or SQLSTATE only: a driver's message can quote the values it refused.
function failed(
  span: { setAttribute(key: string, value: string): unknown; setStatus(status: { code: SpanStatusCode }): unknown },
  error: unknown,
) {
  const code = (error as { code?: unknown }).code;
  span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : error instanceof Error ? error.name : 'error');
  span.setStatus({ code: SpanStatusCode.ERROR });
}
