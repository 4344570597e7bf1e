import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase, SqlExecutor } from './sql.database';

/** The embedded database: PostgreSQL compiled to WebAssembly, in-process, kept in a data folder. */
export async function openPgliteDatabase(dataDir: string): Promise<SqlDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const executor = (target: Pick<PGlite, 'query'>): SqlExecutor => ({
    query: async <T>(text: string, params: readonly unknown[] = []) => (await target.query<T>(text, [...params])).rows,
  });
  return {
    kind: 'pglite',
    ...executor(db),
    // PGlite is one connection: its transaction() runs exclusively, so other queries wait for it.
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    exec: async (script) => {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}
