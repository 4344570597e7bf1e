import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { LoadedConfig } from '../config/config.schemas';
import { ApiClients } from './api-clients';
import { ApiKeyGuard } from './api-key.guard';
import { AuthFailureLimiter } from './auth-failure.limiter';

@Global()
@Module({
  providers: [
    {
      provide: ApiClients,
      useFactory: (loaded: LoadedConfig) =>
        new ApiClients(
          loaded.config.clients,
          loaded.config.accounts.map((a) => a.id),
        ),
      inject: [APP_CONFIG],
    },
    { provide: AuthFailureLimiter, useFactory: (loaded: LoadedConfig) => new AuthFailureLimiter(loaded.config.auth), inject: [APP_CONFIG] },
    ApiKeyGuard,
  ],
  exports: [ApiClients, AuthFailureLimiter, ApiKeyGuard],
})
export class AuthModule {}
