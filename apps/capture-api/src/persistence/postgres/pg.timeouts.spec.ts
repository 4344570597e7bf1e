import pg from 'pg';
import { openPostgresDatabase } from './pg.database';

const PG_URL = process.env['CAPTURE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('PostgreSQL connections', () => {
  test('carry a statement_timeout: a statement running longer is cancelled by the server', async () => {
    const db = await openPostgresDatabase(PG_URL, { statementTimeoutMs: 300 });
    try {
      expect(await db.query<{ statement_timeout: string }>('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
      const started = Date.now();
      await expect(db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' }); // query_canceled
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await db.close();
    }
  });

  test('default to 30 s', async () => {
    const db = await openPostgresDatabase(PG_URL);
    try {
      expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '30s' }]);
    } finally {
      await db.close();
    }
  });

  test('an error on an idle pooled connection is reported, not thrown, and the next query works', async () => {
    const errors: Error[] = [];
    const db = await openPostgresDatabase(PG_URL, { onPoolError: (error) => errors.push(error) });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const [{ pid }] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(/terminat/i);
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await db.close();
    }
  });
});
