import { randomBytes } from 'node:crypto';
import pg from 'pg';

const HOST = process.env['PGHOST'] ?? '127.0.0.1';
const PORT = process.env['PGPORT'] ?? '5432';
const DATABASE = process.env['PGDATABASE'] ?? 'test';

/** The machine's PostgreSQL (trust auth): the first of these users that connects. */
export async function postgresUrl(): Promise<string> {
  const users = process.env['PGUSER'] ? [process.env['PGUSER']] : ['postgres', 'root'];
  for (const user of users) {
    const url = `postgres://${user}@${HOST}:${PORT}/${DATABASE}`;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      return url;
    } catch {
      // try the next user
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`No PostgreSQL at ${HOST}:${PORT}/${DATABASE} for users ${users.join(', ')}`);
}

/** A schema of its own for one test run, so parallel runs never see each other's rows. */
export function uniqueSchemaName(prefix = 'capture_e2e'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
