import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { record } from '../testing/storage-backends';
import { DataFolderInUseError, SqliteDatabase } from './sqlite.database';
import { openSqliteStorage } from './sqlite.storage';

describe('the embedded SQLite store', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'capture-sqlite-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('one opener per data folder: a second fails with a message naming the folder, until the first closes', async () => {
    const first = openSqliteStorage(dataDir);
    let refusal: unknown;
    try {
      openSqliteStorage(dataDir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataFolderInUseError);
    expect((refusal as Error).message).toBe(`database.dataDir: the embedded database folder ${dataDir} is in use by another process`);
    // The refused opener changed nothing: the first still works.
    const r = record('lock-1');
    expect(await first.captures.insert({ record: r, clientId: 'c', singleCapture: true, nextCheckAt: null })).toEqual({ inserted: true });
    await first.close();

    const second = openSqliteStorage(dataDir);
    try {
      expect(await second.captures.findById(r.id)).toEqual(r);
      expect(await second.pendingMigrations()).toEqual([]);
      expect(await second.reachable()).toBe(true);
    } finally {
      await second.close();
    }
  });

  test('WAL journal, fsync on every commit, and no shared-memory file', () => {
    const db = SqliteDatabase.open(dataDir);
    try {
      expect(db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(db.get('PRAGMA synchronous')).toEqual({ synchronous: 2 }); // FULL
      expect(db.get('PRAGMA locking_mode')).toEqual({ locking_mode: 'exclusive' });
      expect(db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(readdirSync(dataDir).filter((f) => f.endsWith('-shm'))).toEqual([]);
    } finally {
      db.close();
    }
  });

  test("an operator's synchronous=normal fsyncs at checkpoints only", () => {
    const db = SqliteDatabase.open(dataDir, { synchronous: 'normal' });
    try {
      expect(db.get('PRAGMA synchronous')).toEqual({ synchronous: 1 }); // NORMAL
    } finally {
      db.close();
    }
  });
});
