import type { HistoryEntry } from '../capture-history';
import { historyEntry, historyQuery, type HistoryRow } from '../history.rows';
import type { SqlExecutor } from './sql.database';

const QUERY = historyQuery('$1');

/** A capture's history rows and status checks, oldest first. */
export async function historyOf(db: SqlExecutor, id: string): Promise<HistoryEntry[]> {
  return (await db.query<HistoryRow>(QUERY, [id])).map(historyEntry);
}
