// Test helper: PostgreSQL set up as a transaction pooler needs it. The service sets nothing per
// connection there, so a role of the test's own carries the schema (its search_path) and the timeout.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../postgres/pg.database';

export interface PooledRole {
  /** The admin URL with this role as its user. */
  url: string;
  /** The role's name, and the name of the schema its search_path names (owned by it). */
  schema: string;
  /** Removes the schema with everything in it, then the role. */
  drop(): Promise<void>;
}

export async function createPooledRole(adminUrl: string, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS): Promise<PooledRole> {
  const name = `capture_pooled_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin(adminUrl, [
    `CREATE ROLE "${name}" LOGIN`,
    `ALTER ROLE "${name}" SET search_path = "${name}"`,
    `ALTER ROLE "${name}" SET statement_timeout = ${statementTimeoutMs}`,
    `CREATE SCHEMA "${name}" AUTHORIZATION "${name}"`,
  ]);
  const url = new URL(adminUrl);
  url.username = name;
  return {
    url: url.toString(),
    schema: name,
    drop: () => asAdmin(adminUrl, [`DROP SCHEMA IF EXISTS "${name}" CASCADE`, `DROP ROLE IF EXISTS "${name}"`]),
  };
}

async function asAdmin(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}
