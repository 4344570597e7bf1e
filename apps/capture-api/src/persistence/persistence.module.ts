import { resolve } from 'node:path';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.schemas';
import { APP_LOGGER } from '../observability/logging/app-logger.token';
import type { AppLogger } from '../observability/logging/logger.factory';
import type { ReadinessCheck } from '../observability/health/readiness-check';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import { openPostgresDatabase } from './postgres/pg.database';
import { openPgStorage } from './postgres/pg.storage';
import { openSqliteStorage } from './sqlite/sqlite.storage';
import {
  CAPTURE_CHECK_STORE,
  CAPTURE_EVENT_STORE,
  CAPTURE_STORE,
  EVENT_DELIVERY_STORE,
  IDEMPOTENCY_KEY_STORE,
  OPS_STORE,
  STORAGE,
  type Storage,
  WEBHOOK_EVENT_STORE,
} from './storage';

export const DEFAULT_DATA_DIR = '.data/capture-api';

/** This module's part of the service's readiness: the database answers, and every migration ran. */
export const PERSISTENCE_READINESS = Symbol('PERSISTENCE_READINESS');

const readinessOf = (storage: Storage): ReadinessCheck[] => [
  { name: 'database', check: () => storage.reachable() },
  { name: 'migrations', check: async () => (await storage.pendingMigrations()).length === 0 },
];

type DatabaseSettings = Pick<AppConfig['database'], 'url' | 'dataDir' | 'synchronous' | 'schema'> &
  Partial<Pick<AppConfig['database'], 'statementTimeoutMs' | 'transactionPooling'>>;

/** PostgreSQL when a URL is configured, the embedded SQLite database otherwise; migrated before use. */
export async function openStorage(database: DatabaseSettings, logger?: Logger): Promise<Storage> {
  if (database.url) {
    const onPoolError = (error: Error) =>
      logger?.warn(
        { context: 'Postgres', err: { message: error.message, code: (error as { code?: string }).code } },
        'database pool error',
      );
    return openPgStorage(
      await openPostgresDatabase(database.url, {
        schema: database.schema,
        statementTimeoutMs: database.statementTimeoutMs,
        transactionPooling: database.transactionPooling,
        onPoolError,
      }),
    );
  }
  return openSqliteStorage(resolve(database.dataDir ?? DEFAULT_DATA_DIR), { synchronous: database.synchronous ?? 'full' });
}

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  static forRoot(database: AppConfig['database']): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        // Opened only once every plugin and account setting is valid: a wrong config stops start-up
        // before it touches a data folder (an embedded one may be in use by the running service).
        {
          provide: STORAGE,
          useFactory: (_registry: unknown, appLogger: AppLogger) => openStorage(database, appLogger.logger),
          inject: [PLUGIN_REGISTRY, APP_LOGGER],
        },
        { provide: CAPTURE_STORE, useFactory: (s: Storage) => s.captures, inject: [STORAGE] },
        { provide: CAPTURE_CHECK_STORE, useFactory: (s: Storage) => s.checks, inject: [STORAGE] },
        { provide: CAPTURE_EVENT_STORE, useFactory: (s: Storage) => s.events, inject: [STORAGE] },
        { provide: EVENT_DELIVERY_STORE, useFactory: (s: Storage) => s.deliveries, inject: [STORAGE] },
        { provide: IDEMPOTENCY_KEY_STORE, useFactory: (s: Storage) => s.idempotencyKeys, inject: [STORAGE] },
        { provide: WEBHOOK_EVENT_STORE, useFactory: (s: Storage) => s.webhookEvents, inject: [STORAGE] },
        { provide: OPS_STORE, useFactory: (s: Storage) => s.ops, inject: [STORAGE] },
        { provide: PERSISTENCE_READINESS, useFactory: readinessOf, inject: [STORAGE] },
      ],
      exports: [
        STORAGE,
        CAPTURE_STORE,
        CAPTURE_CHECK_STORE,
        CAPTURE_EVENT_STORE,
        EVENT_DELIVERY_STORE,
        IDEMPOTENCY_KEY_STORE,
        WEBHOOK_EVENT_STORE,
        OPS_STORE,
        PERSISTENCE_READINESS,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
  }
}
