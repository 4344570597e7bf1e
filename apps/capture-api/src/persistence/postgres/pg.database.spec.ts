import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ConfigError } from '../../config/config.errors';
import { createPooledRole, type PooledRole } from '../testing/pooled-role';
import { openPostgresDatabase } from './pg.database';
import type { SqlDatabase } from './sql.database';

const PG_URL = process.env['CAPTURE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropSchemas(schemas: string[]): Promise<void> {
  const client = new pg.Client(PG_URL);
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

// Replicas started together (two-instances.e2e.spec.ts) create their schema at the same moment.
test('several openers of a new schema at once all open it', async () => {
  const schemas = Array.from({ length: 5 }, () => `capture_race_${process.pid}_${randomBytes(4).toString('hex')}`);
  try {
    for (const schema of schemas) {
      const dbs = await Promise.all(Array.from({ length: 4 }, () => openPostgresDatabase(PG_URL, schema)));
      await Promise.all(dbs.map((db) => db.close()));
    }
  } finally {
    await dropSchemas(schemas);
  }
});

// What a statement of the hot path leaves on its connection, read on that same connection.
const preparedAfterNamedQuery = (db: SqlDatabase) =>
  db.transaction(async (tx) => {
    expect(await tx.query('SELECT $1::int + 1 AS two', [1], 'probe_named')).toEqual([{ two: 2 }]);
    return (await tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).map((r) => r.name);
  });

describe('direct connections', () => {
  test('prepare a named statement once per connection', async () => {
    const db = await openPostgresDatabase(PG_URL);
    try {
      expect(await preparedAfterNamedQuery(db)).toEqual(['probe_named']);
    } finally {
      await db.close();
    }
  });
});

// PgBouncer 1.18 in transaction pooling refuses statement_timeout and options at connect and loses
// named statements between server connections (e2e: pgbouncer.e2e.spec.ts runs behind the real one).
describe('transaction pooling', () => {
  let role: PooledRole;
  beforeAll(async () => {
    role = await createPooledRole(PG_URL, 30_000);
  });
  afterAll(() => role?.drop());

  test('names no statement, so any server connection can run it', async () => {
    const db = await openPostgresDatabase(role.url, { schema: role.schema, transactionPooling: true });
    try {
      expect(await preparedAfterNamedQuery(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  test("sets nothing at connect: the role's schema and statement_timeout are what statements get", async () => {
    const db = await openPostgresDatabase(role.url, { schema: role.schema, transactionPooling: true, statementTimeoutMs: 30_000 });
    try {
      await db.query('CREATE TABLE landed (id int)');
      expect(await db.query('SELECT schemaname FROM pg_tables WHERE tablename = $1', ['landed'])).toEqual([{ schemaname: role.schema }]);
      expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '30s' }]);
    } finally {
      await db.close();
    }
  });

  test('stops start-up when the role does not give the configured timeout, naming the fix', async () => {
    const opening = openPostgresDatabase(role.url, { schema: role.schema, transactionPooling: true, statementTimeoutMs: 5_000 });
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(
      `database.statementTimeoutMs: is 5000, but connections through the pooler have statement_timeout 30000 ms: ` +
        `with transactionPooling it comes from the role or the database (ALTER ROLE "${role.schema}" SET statement_timeout = 5000)`,
    );
  });

  test('stops start-up when the role does not give the configured schema, naming the fix', async () => {
    const schema = `capture_elsewhere_${process.pid}_${randomBytes(4).toString('hex')}`;
    try {
      // The machine's superuser: its search_path is the default ("$user", public).
      const opening = openPostgresDatabase(PG_URL, { schema, transactionPooling: true });
      await expect(opening).rejects.toThrow(
        `database.schema: is "${schema}", but connections through the pooler use "public": ` +
          `with transactionPooling the schema comes from the role (ALTER ROLE "postgres" SET search_path = "${schema}")`,
      );
    } finally {
      await dropSchemas([schema]);
    }
  });
});
