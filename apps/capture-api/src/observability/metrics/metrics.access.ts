import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { bearerToken } from '../../http/bearer';
import { APP_CONFIG } from '../../config/config.tokens';
import type { LoadedConfig } from '../../config/config.schemas';
import { APP_LOGGER } from '../logging/app-logger.token';
import type { AppLogger } from '../logging/logger.factory';
import { MetricsService } from './metrics.service';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** What the metrics token's check needs of the API's failed-auth limiter: auth/ provides it under this token (this layer sits below auth). */
export interface FailedAuthLimit {
  /** Seconds until the source may try again, or 0. */
  retryAfterSeconds(source: string): number;
  recordFailure(source: string): void;
}
export const FAILED_AUTH_LIMIT = Symbol('FAILED_AUTH_LIMIT');

/** Why a request may not read `/metrics`: no or a wrong token, or too many wrong ones from its source. */
export type MetricsRefusal =
  | { status: 401; code: 'unauthenticated'; message: string }
  | { status: 429; code: 'rate_limited'; message: string; retryAfterSeconds: number };

/**
 * Who may read `/metrics` and where: with `metrics.token`, only a request carrying
 * `Authorization: Bearer <token>` (compared in constant time); with `metrics.port`, only on that port,
 * never on the API's. Wrong tokens count against their source in the API's failed-auth limiter, so
 * the token cannot be guessed faster than an API key.
 */
@Injectable()
export class MetricsAccess {
  private readonly tokenHash?: Buffer;
  readonly port?: number;

  // Without the service's config (the module alone, in tests): open, on the API's port.
  constructor(
    @Optional() @Inject(APP_CONFIG) loaded?: LoadedConfig,
    @Optional() @Inject(FAILED_AUTH_LIMIT) private readonly limiter?: FailedAuthLimit,
  ) {
    const { token, port } = loaded?.config.metrics ?? {};
    if (token) this.tokenHash = sha256(token);
    if (port !== undefined) this.port = port;
  }

  /**
   * Undefined when the Authorization header opens /metrics (always, when no token is configured).
   * As for API keys, a good token always passes; only a source over its limit of failures is refused
   * outright (429) when it has none.
   */
  refusal(authorization: string | undefined, source: string | undefined): MetricsRefusal | undefined {
    if (!this.tokenHash || timingSafeEqual(sha256(bearerToken(authorization) ?? ''), this.tokenHash)) return undefined;
    const caller = source ?? 'unknown';
    const retryAfterSeconds = this.limiter?.retryAfterSeconds(caller) ?? 0;
    if (retryAfterSeconds > 0) {
      return {
        status: 429,
        code: 'rate_limited',
        message: `Too many failed authentications; retry in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      };
    }
    this.limiter?.recordFailure(caller);
    return { status: 401, code: 'unauthenticated', message: 'Missing or invalid metrics token; send Authorization: Bearer <token>' };
  }
}

/** `metrics.port`: a plain HTTP server of its own that answers `GET /metrics` and nothing else. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(MetricsAccess) private readonly access: MetricsAccess,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Optional() @Inject(APP_CONFIG) private readonly loaded?: LoadedConfig,
    @Optional() @Inject(APP_LOGGER) private readonly appLogger?: AppLogger,
  ) {}

  /** Where it listens, once started. */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.access.port === undefined) return;
    const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, (request, response) => {
      const answer = (status: number, body: string, contentType = 'application/json') => {
        response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        response.end(body);
      };
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') return answer(404, error('not_found', 'Only GET /metrics is served here'));
      // Its own port is internal, behind no proxy: the source is the peer.
      const refused = this.access.refusal(request.headers.authorization, request.socket.remoteAddress);
      if (refused) {
        if (refused.status === 429) response.setHeader('retry-after', String(refused.retryAfterSeconds));
        return answer(refused.status, error(refused.code, refused.message));
      }
      this.metrics.exposition().then(
        (text) => answer(200, text, this.metrics.contentType),
        (failure: unknown) => {
          this.appLogger?.logger.error({ context: 'Metrics', err: String(failure) }, 'metrics exposition failed');
          answer(500, error('internal_error', 'Metrics are unavailable'));
        },
      );
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.access.port, this.loaded?.config.server.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.appLogger?.logger.info({ context: 'Metrics', port: this.address()?.port }, 'metrics listening on their own port');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const error = (code: string, message: string) => JSON.stringify({ error: { code, message } });
