import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { CapturesModule } from './captures/captures.module';
import type { LoadedConfig } from './config/config.schemas';
import { APP_CONFIG } from './config/config.tokens';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { PersistenceModule } from './persistence/persistence.module';
import { PluginsModule } from './plugins/plugins.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(loaded: LoadedConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [PluginsModule.forRoot(loaded), PersistenceModule.forRoot(loaded.config.database), AuthModule, CapturesModule, WebhooksModule],
      providers: [
        { provide: APP_CONFIG, useValue: loaded },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
      exports: [APP_CONFIG],
    };
  }
}
