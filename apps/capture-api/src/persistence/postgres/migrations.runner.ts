import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDatabase, SqlExecutor } from './sql.database';

const MIGRATIONS_DIR = join(__dirname, 'migrations');

/**
 * Applies the versioned SQL files in order, each once. Replicas starting together take an advisory
 * lock so that one applies and the others wait, then find nothing left to do.
 */
export async function runMigrations(db: SqlDatabase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = migrationFiles(dir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    // Under the lock: two replicas' concurrent `CREATE TABLE IF NOT EXISTS` can still collide on its type.
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL)');
    const done = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: string[] = [];
    for (const file of files.filter((f) => !done.has(f))) {
      for (const statement of splitStatements(readFileSync(join(dir, file), 'utf8'))) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/** The migration files not yet recorded as applied: empty when the schema is current. */
export async function pendingMigrations(db: SqlExecutor, dir = MIGRATIONS_DIR): Promise<string[]> {
  const done = new Set((await db.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  return migrationFiles(dir).filter((file) => !done.has(file));
}

function migrationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
}

// Our migrations hold no functions or quoted semicolons, so splitting on ';' at a line end is safe.
function splitStatements(script: string): string[] {
  return script
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
