import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { ConfigError } from '../../config/config.errors';
import { traceStatementSync } from '../../observability/tracing/statement-span';

export const DATABASE_FILE = 'capture.sqlite';

// SQLITE_BUSY (the primary code; extended codes add bits above 0xff): another connection holds the lock.
const SQLITE_BUSY = 5;

/**
 * How long start-up waits for the folder's lock: long enough for a process that is just exiting to
 * let go of it (the kernel drops its locks as it ends), short enough to fail a real conflict quickly.
 * Once started, the process holds the lock alone and never waits on it again.
 */
export const LOCK_WAIT_MS = 2_000;

export interface SqliteOptions {
  /**
   * When commits reach the disk. 'full': each commit is fsynced to the WAL before it returns, so it
   * survives a power loss. 'normal': fsync only at checkpoints; a commit survives a crash of the
   * process (it is in the OS's cache) but a power loss may drop the last ones.
   */
  synchronous: 'full' | 'normal';
}

/** Start-up on a data folder that another process (or connection) holds. */
export class DataFolderInUseError extends ConfigError {
  constructor(dataDir: string) {
    // A ConfigError so that start-up prints this one line rather than a stack.
    super(`database.dataDir: the embedded database folder ${dataDir} is in use by another process`);
    this.name = 'DataFolderInUseError';
  }
}

/**
 * The embedded database: one SQLite file in the data folder, opened by `node:sqlite` (synchronous:
 * each statement runs on the event loop, so transactions stay short and never span an await).
 */
export class SqliteDatabase {
  private readonly statements = new Map<string, StatementSync>();

  private constructor(private readonly db: DatabaseSync) {}

  /** Opens (creating if needed) the folder's database and takes its lock for the life of the process. */
  static open(dataDir: string, { synchronous }: SqliteOptions = { synchronous: 'full' }): SqliteDatabase {
    mkdirSync(dataDir, { recursive: true });
    const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { timeout: LOCK_WAIT_MS });
    try {
      // Before WAL is entered: in exclusive locking mode SQLite keeps WAL's index in process memory
      // (no -shm file), and a connection keeps every lock it takes until it closes.
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      db.exec('PRAGMA journal_mode = WAL');
      // FULL by default: with NORMAL a power loss could drop the last commits, so a capture inserted
      // before its provider call, or a completed key, could vanish after the provider captured, and a
      // retry would capture twice. But node:sqlite is synchronous: each fsync blocks the event loop, and
      // on a busy disk that throttles every request, so an operator may trade that window for speed.
      db.exec(`PRAGMA synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.exec('PRAGMA foreign_keys = ON');
      // An empty write transaction takes the write lock now, which exclusive mode then keeps: a second
      // process fails here, at its start-up, rather than at its first capture.
      db.exec('BEGIN IMMEDIATE');
      db.exec('COMMIT');
    } catch (error) {
      db.close();
      if (((error as { errcode?: number }).errcode ?? 0) % 256 === SQLITE_BUSY) throw new DataFolderInUseError(dataDir);
      throw error;
    }
    return new SqliteDatabase(db);
  }

  /** A prepared statement, compiled once and reused. */
  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    return traceStatementSync('sqlite', sql, () => Number(this.statement(sql).run(...params).changes));
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return traceStatementSync('sqlite', sql, () => this.statement(sql).get(...params) as T | undefined);
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return traceStatementSync('sqlite', sql, () => this.statement(sql).all(...params) as T[]);
  }

  /**
   * Runs `work` as one write transaction: committed when it returns, rolled back when it throws.
   * `work` is synchronous, so nothing else runs inside it: each store method is atomic as a whole.
   */
  transaction<T>(work: () => T): T {
    traceStatementSync('sqlite', 'BEGIN', () => this.db.exec('BEGIN IMMEDIATE'));
    try {
      const result = work();
      // COMMIT is where the fsync happens (synchronous=FULL): its span shows what durability costs.
      traceStatementSync('sqlite', 'COMMIT', () => this.db.exec('COMMIT'));
      return result;
    } catch (error) {
      if (this.db.isTransaction) traceStatementSync('sqlite', 'ROLLBACK', () => this.db.exec('ROLLBACK'));
      throw error;
    }
  }

  /** Runs a script of several statements (migrations). */
  exec(script: string): void {
    this.db.exec(script);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
