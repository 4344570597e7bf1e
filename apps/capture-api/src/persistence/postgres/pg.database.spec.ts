import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresDatabase } from './pg.database';

const PG_URL = process.env['CAPTURE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

// Replicas started together (two-instances.e2e.spec.ts) create their schema at the same moment.
test('several openers of a new schema at once all open it', async () => {
  const schemas = Array.from({ length: 5 }, () => `capture_race_${process.pid}_${randomBytes(4).toString('hex')}`);
  try {
    for (const schema of schemas) {
      const dbs = await Promise.all(Array.from({ length: 4 }, () => openPostgresDatabase(PG_URL, schema)));
      await Promise.all(dbs.map((db) => db.close()));
    }
  } finally {
    const client = new pg.Client(PG_URL);
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});
