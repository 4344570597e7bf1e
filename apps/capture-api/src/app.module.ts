import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthModule } from './auth/auth.module';
import { CapturesModule } from './captures/captures.module';
import type { LoadedConfig } from './config/config.schemas';
import { APP_CONFIG } from './config/config.tokens';
import { ConfigReloader } from './config/config.reloader';
import { DocsModule, buildOpenApiDocument } from './docs';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { APP_LOGGER, type AppLogger, HealthModule, MetricsModule, type ReadinessCheck } from './observability';
import { OpsModule } from './ops/ops.module';
import { PERSISTENCE_READINESS, PersistenceModule } from './persistence/persistence.module';
import type { PluginRegistry } from './plugins/plugin.registry';
import { PLUGIN_REGISTRY, PLUGINS_READINESS, PluginsModule } from './plugins/plugins.module';
import { ProvidersModule } from './providers/providers.module';
import { ReconcilerModule } from './reconciler/reconciler.module';
import { RetentionModule } from './retention/retention.module';
import { SERVICE_VERSION } from './version';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(loaded: LoadedConfig, appLogger: AppLogger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        PluginsModule.forRoot(loaded),
        PersistenceModule.forRoot(loaded.config.database),
        MetricsModule,
        AuthModule,
        CapturesModule,
        WebhooksModule,
        ReconcilerModule,
        RetentionModule,
        ProvidersModule,
        OpsModule,
        // Each module contributes its own part of readiness: the database and migrations, the plugins.
        HealthModule.forRootAsync({
          inject: [PERSISTENCE_READINESS, PLUGINS_READINESS],
          useFactory: (...parts: ReadinessCheck[][]) => ({ checks: parts.flat() }),
        }),
        // Generated from the zod schemas that validate requests, with each loaded plugin's providerOptions.
        DocsModule.forRootAsync({
          inject: [PLUGIN_REGISTRY],
          useFactory: (registry: PluginRegistry) => ({
            document: buildOpenApiDocument({ plugins: [...registry.plugins.values()], version: SERVICE_VERSION }),
          }),
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: loaded },
        { provide: APP_LOGGER, useValue: appLogger },
        // SIGHUP (main.ts) re-reads the config file: clients, keys, scopes and subscriptions swap in place.
        ConfigReloader,
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        // Every route needs an API key unless the guard's public list names it: new routes are closed by default.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [APP_CONFIG, APP_LOGGER, ConfigReloader, MetricsModule],
    };
  }
}
