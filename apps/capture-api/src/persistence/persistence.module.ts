import { resolve } from 'node:path';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config.schemas';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import { runMigrations } from './migrations.runner';
import { openPgliteDatabase } from './pglite.database';
import { openPostgresDatabase } from './pg.database';
import { SqlCaptureRepository } from './sql-capture.repository';
import type { SqlDatabase } from './sql.database';

export const SQL_DATABASE = Symbol('SQL_DATABASE');
export const CAPTURE_REPOSITORY = Symbol('CAPTURE_REPOSITORY');

export const DEFAULT_DATA_DIR = '.data/capture-api';

/** PostgreSQL when a URL is configured, the embedded database otherwise; migrated before use. */
export async function openDatabase(database: AppConfig['database']): Promise<SqlDatabase> {
  const db = database.url
    ? await openPostgresDatabase(database.url, database.schema)
    : await openPgliteDatabase(resolve(database.dataDir ?? DEFAULT_DATA_DIR));
  try {
    await runMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  static forRoot(database: AppConfig['database']): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        // Opened only once every plugin and account setting is valid: a wrong config stops start-up
        // before it touches a data folder (an embedded one may be in use by the running service).
        { provide: SQL_DATABASE, useFactory: () => openDatabase(database), inject: [PLUGIN_REGISTRY] },
        { provide: CAPTURE_REPOSITORY, useFactory: (db: SqlDatabase) => new SqlCaptureRepository(db), inject: [SQL_DATABASE] },
      ],
      exports: [SQL_DATABASE, CAPTURE_REPOSITORY],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
