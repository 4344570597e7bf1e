import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { DatabaseSettings } from './backends';

// The embedded store's file in its data folder (persistence/sqlite/sqlite.database.ts).
const DATABASE_FILE = 'capture.sqlite';

/**
 * Every row of a table as JSON text, read straight from the database. The embedded one is locked to
 * the service while it runs: read it only after the service stopped.
 */
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
  if (!database.dataDir) throw new Error('storedRowsText: the database settings have neither a url nor a dataDir');
  const db = new DatabaseSync(join(database.dataDir, DATABASE_FILE), { readOnly: true });
  try {
    return JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
  } finally {
    db.close();
  }
}
