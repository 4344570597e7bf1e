import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteDatabase } from './sqlite.database';

const MIGRATIONS_DIR = join(__dirname, 'migrations');

/**
 * Applies the versioned SQL files in order, each once and each in its own transaction. No lock
 * between processes is needed: the database is already this process's alone.
 */
export function runSqliteMigrations(db: SqliteDatabase, dir = MIGRATIONS_DIR): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
  const applied: string[] = [];
  for (const file of pendingSqliteMigrations(db, dir)) {
    db.transaction(() => {
      db.exec(readFileSync(join(dir, file), 'utf8'));
      db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', file, new Date().toISOString());
    });
    applied.push(file);
  }
  return applied;
}

/** The migration files not yet recorded as applied: empty when the schema is current. */
export function pendingSqliteMigrations(db: SqliteDatabase, dir = MIGRATIONS_DIR): string[] {
  const done = new Set(db.all<{ version: string }>('SELECT version FROM schema_migrations').map((r) => r.version));
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f) && !done.has(f))
    .sort();
}
