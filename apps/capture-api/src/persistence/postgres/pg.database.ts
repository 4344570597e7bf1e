import pg from 'pg';
import { traceStatement } from '../../observability/tracing/statement-span';
import { reachable } from '../storage-unavailable.error';
import type { SqlDatabase, SqlExecutor } from './sql.database';

// int8 (bigint) columns hold minor units up to Number.MAX_SAFE_INTEGER: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

/** The server cancels a statement running longer than this (PostgreSQL's `statement_timeout`), unless configured otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export interface PostgresOptions {
  /** PostgreSQL schema to use (created when missing); isolates test runs from each other. */
  schema?: string;
  /** `statement_timeout` of every connection, in ms (default `DEFAULT_STATEMENT_TIMEOUT_MS`). */
  statementTimeoutMs?: number;
  /** Told of an error on an idle pooled connection (the server restarted, the network dropped it). */
  onPoolError?: (error: Error) => void;
}

/** PostgreSQL through a pool. */
export async function openPostgresDatabase(url: string, schemaOrOptions?: string | PostgresOptions): Promise<SqlDatabase> {
  const options: PostgresOptions = typeof schemaOrOptions === 'string' ? { schema: schemaOrOptions } : (schemaOrOptions ?? {});
  const { schema } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    // A statement stuck on a lock or a runaway plan is cancelled by the server instead of holding a
    // pooled connection (and the request waiting on it) for ever.
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error must not crash the process (the pool drops that client; the next query
  // opens another), but it is worth knowing about: it is reported, never thrown.
  pool.on('error', (error) => options.onPoolError?.(error));
  if (schema) await createSchema(pool, schema);
  const executor = (target: Pick<pg.Pool, 'query'>): SqlExecutor => ({
    query: <T>(text: string, params: readonly unknown[] = [], name?: string) =>
      reachable(() =>
        traceStatement(
          'postgresql',
          text,
          async () => (await target.query(name ? { name, text, values: [...params] } : { text, values: [...params] })).rows as T[],
        ),
      ),
  });
  return {
    ...executor(pool),
    transaction: async (work) => {
      const client = await reachable(() => pool.connect());
      try {
        await traceStatement('postgresql', 'BEGIN', () => client.query('BEGIN'));
        const result = await work(executor(client));
        await traceStatement('postgresql', 'COMMIT', () => client.query('COMMIT'));
        return result;
      } catch (error) {
        await traceStatement('postgresql', 'ROLLBACK', () => client.query('ROLLBACK')).catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}

// Replicas starting together can all pass IF NOT EXISTS and then collide on the catalog's unique
// index (23505) or find the schema just made (42P06): either way the schema exists, as wanted.
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    if (!['23505', '42P06'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}
