import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import { ConfigReloader } from '../config/config.reloader';
import type { LoadedConfig } from '../config/config.schemas';
import { FAILED_AUTH_LIMIT } from '../observability';
import { ApiClients } from './api-clients';
import { ApiKeyGuard } from './api-key.guard';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { BearerAuth } from './bearer-auth';
import { OpsSessions } from './ops-session';

@Global()
@Module({
  providers: [
    {
      provide: ApiClients,
      // A reload swaps the keys; the failed-auth limiter below is never rebuilt, so its counts survive it.
      useFactory: (loaded: LoadedConfig, reloader: ConfigReloader) => {
        const accountIds = (l: LoadedConfig) => l.config.accounts.map((a) => a.id);
        const clients = new ApiClients(loaded.config.clients, accountIds(loaded));
        reloader.register((next) => clients.prepare(next.config.clients, accountIds(next)));
        return clients;
      },
      inject: [APP_CONFIG, ConfigReloader],
    },
    { provide: AuthFailureLimiter, useFactory: (loaded: LoadedConfig) => new AuthFailureLimiter(loaded.config.auth), inject: [APP_CONFIG] },
    // The same limiter counts wrong metrics tokens: /metrics (observability, below this layer) takes it by token.
    { provide: FAILED_AUTH_LIMIT, useExisting: AuthFailureLimiter },
    // Through the registry on every check, so a key rotated or removed there ends its sessions.
    { provide: OpsSessions, useFactory: (clients: ApiClients) => new OpsSessions(() => clients), inject: [ApiClients] },
    BearerAuth,
    ApiKeyGuard,
  ],
  exports: [ApiClients, AuthFailureLimiter, FAILED_AUTH_LIMIT, OpsSessions, BearerAuth, ApiKeyGuard],
})
export class AuthModule {}
