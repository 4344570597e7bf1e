import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseSettings } from './backends';

/** Every row of a table as JSON text, read straight from the database (the service must be stopped for PGlite). */
export async function storedRowsText(database: DatabaseSettings, table: string): Promise<string> {
  if (database.url) {
    const client = new pg.Client({
      connectionString: database.url,
      ...(database.schema ? { options: `-c search_path=${database.schema}` } : {}),
    });
    await client.connect();
    try {
      return JSON.stringify((await client.query(`SELECT * FROM ${table}`)).rows);
    } finally {
      await client.end();
    }
  }
  const db = await PGlite.create(database.dataDir!);
  try {
    return JSON.stringify((await db.query(`SELECT * FROM ${table}`)).rows);
  } finally {
    await db.close();
  }
}
