import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSqliteMigrations } from './sqlite-migrations.runner';
import { ANSWERED, NOT_SENT } from './sqlite-ops.store';
import { SqliteDatabase } from './sqlite.database';

// The health counts run on the event loop: they must walk an index range, never the table. The
// partial index is used only while the query repeats its WHERE, so a drift shows here.
describe('the embedded store reads provider health on its indexes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'capture-plan-'));
  const db = SqliteDatabase.open(dataDir);
  runSqliteMigrations(db);
  afterAll(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const plan = (sql: string) => db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, '["a"]', 'cap_0', 'cap_1').map((r) => r.detail);

  test('every first answer: an id range on the covering index, no table row read', () => {
    expect(plan(ANSWERED)).toContain('SEARCH captures USING COVERING INDEX captures_provider_health (account=? AND id>? AND id<?)');
  });

  test('the refusals that sent nothing: an id range on the small partial index', () => {
    expect(plan(NOT_SENT)).toContain('SEARCH captures USING INDEX captures_not_sent (account=? AND id>? AND id<?)');
  });
});
