import pg from 'pg';
import { ConfigError } from '../../config/config.errors';
import { traceStatement } from '../../observability/tracing/statement-span';
import { reachable } from '../storage-unavailable.error';
import type { SqlDatabase, SqlExecutor } from './sql.database';

// int8 (bigint) columns hold minor units up to Number.MAX_SAFE_INTEGER: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

/** The server cancels a statement running longer than this (PostgreSQL's `statement_timeout`), unless configured otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Connections each replica's pool opens at most (to PostgreSQL, or to the pooler in front of it). */
export const POOL_SIZE = 10;

export interface PostgresOptions {
  /** PostgreSQL schema to use (created when missing); isolates test runs from each other. */
  schema?: string;
  /** `statement_timeout` of every connection, in ms (default `DEFAULT_STATEMENT_TIMEOUT_MS`). */
  statementTimeoutMs?: number;
  /**
   * Reached through a pooler in transaction mode (PgBouncer's `pool_mode = transaction`): each
   * transaction may run on another server connection, so no statement is named (PgBouncer 1.18
   * carries only the unnamed one) and nothing is set per connection. The schema and the timeout
   * must then come from the role or the database; start-up checks that they do.
   */
  transactionPooling?: boolean;
  /** Told of an error on an idle pooled connection (the server restarted, the network dropped it). */
  onPoolError?: (error: Error) => void;
}

/** PostgreSQL through a pool. */
export async function openPostgresDatabase(url: string, schemaOrOptions?: string | PostgresOptions): Promise<SqlDatabase> {
  const options: PostgresOptions = typeof schemaOrOptions === 'string' ? { schema: schemaOrOptions } : (schemaOrOptions ?? {});
  const { schema } = options;
  const pooled = options.transactionPooling ?? false;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    // Session settings sent at connect. A statement stuck on a lock or a runaway plan is cancelled by
    // the server instead of holding a pooled connection (and the request waiting on it) for ever.
    ...(pooled ? {} : { statement_timeout: statementTimeoutMs, ...(schema ? { options: `-c search_path=${schema}` } : {}) }),
  });
  // An idle client's error must not crash the process (the pool drops that client; the next query
  // opens another), but it is worth knowing about: it is reported, never thrown.
  pool.on('error', (error) => options.onPoolError?.(error));
  try {
    if (schema) await createSchema(pool, schema);
    const session = await readSession(pool);
    if (pooled) checkPooledSession(session, schema, statementTimeoutMs);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const executor = (target: Pick<pg.Pool, 'query'>): SqlExecutor => ({
    query: <T>(text: string, params: readonly unknown[] = [], name?: string) =>
      reachable(() =>
        traceStatement(
          'postgresql',
          text,
          async () =>
            (await target.query(name && !pooled ? { name, text, values: [...params] } : { text, values: [...params] })).rows as T[],
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
// index (23505) or find the schema just made (42P06): either way the schema exists, as wanted. An
// existing schema is not created again: that needs CREATE on the database, which a role may lack.
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    const { rowCount } = await withPoolerHint(() => pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]));
    if (!rowCount) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    if (!['23505', '42P06'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

interface Session {
  role: string;
  schema: string | null;
  statementTimeoutMs: number;
}

async function readSession(pool: pg.Pool): Promise<Session> {
  const { rows } = await reachable(() =>
    withPoolerHint(() =>
      pool.query<{ role: string; schema: string | null; timeout: string }>(
        `SELECT current_user AS role, current_schema() AS schema, setting AS timeout FROM pg_settings WHERE name = 'statement_timeout'`,
      ),
    ),
  );
  const [{ role, schema, timeout }] = rows as [(typeof rows)[number]];
  return { role, schema, statementTimeoutMs: Number(timeout) };
}

// Behind a transaction pooler the service sets nothing per connection: what the role or the database
// sets is what every statement gets. Tables in the wrong schema, or no timeout, must stop start-up.
function checkPooledSession(session: Session, schema: string | undefined, statementTimeoutMs: number): void {
  const role = `"${session.role.replaceAll('"', '""')}"`;
  if (schema && session.schema !== schema) {
    throw new ConfigError(
      `database.schema: is "${schema}", but connections through the pooler use ${session.schema ? `"${session.schema}"` : 'no existing schema'}: ` +
        `with transactionPooling the schema comes from the role (ALTER ROLE ${role} SET search_path = "${schema}")`,
    );
  }
  if (session.statementTimeoutMs !== statementTimeoutMs) {
    throw new ConfigError(
      `database.statementTimeoutMs: is ${statementTimeoutMs}, but connections through the pooler have statement_timeout ${session.statementTimeoutMs} ms: ` +
        `with transactionPooling it comes from the role or the database (ALTER ROLE ${role} SET statement_timeout = ${statementTimeoutMs})`,
    );
  }
}

// PgBouncer refuses a connection that sends statement_timeout or options (it would otherwise read as
// "the database cannot be reached"): name the switch that fixes it.
async function withPoolerHint<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== '08P01' || !/unsupported startup parameter/.test(message ?? '')) throw error;
    throw new ConfigError(
      `database.transactionPooling: the database refused a connection setting (${message}): ` +
        'behind PgBouncer or another pooler, set database.transactionPooling: true',
    );
  }
}
