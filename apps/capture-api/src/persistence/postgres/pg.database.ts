import pg from 'pg';
import type { SqlDatabase, SqlExecutor } from './sql.database';

// int8 (bigint) columns hold minor units up to Number.MAX_SAFE_INTEGER: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

/** PostgreSQL through a pool; `schema` (created when missing) isolates test runs from each other. */
export async function openPostgresDatabase(url: string, schema?: string): Promise<SqlDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined); // an idle client's error must not crash the process; the next query reports it
  if (schema) await createSchema(pool, schema);
  const executor = (target: Pick<pg.Pool, 'query'>): SqlExecutor => ({
    query: async <T>(text: string, params: readonly unknown[] = [], name?: string) =>
      (await target.query(name ? { name, text, values: [...params] } : { text, values: [...params] })).rows as T[],
  });
  return {
    ...executor(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
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
