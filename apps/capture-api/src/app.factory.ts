import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppModule } from './app.module';
import { frameworkErrorOptions } from './errors/framework-errors';
import { loadConfigFile } from './config/config.loader';
import { clientKeys } from './config/clients.schemas';
import type { LoadedConfig } from './config/config.schemas';
import { httpServerTimeouts } from './config/timeouts';
import {
  type AppLogger,
  createAppLogger,
  PinoNestLogger,
  registerRequestIdHeader,
  registerRequestLogging,
  registerRequestTracing,
  requestIdAdapterOptions,
} from './observability';

export interface CreateAppOptions {
  /** A config file to load; or `loaded`, an already validated config. */
  configPath?: string;
  loaded?: LoadedConfig;
  env?: NodeJS.ProcessEnv;
  /** The logger; default: JSON lines on stdout at `LOG_LEVEL` (default `info`). */
  appLogger?: AppLogger;
}

// Bodies past this are 413 payload_too_large; a capture request is a few hundred bytes.
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Every secret the config names: API keys, event signing secrets, the metrics token, the database URL. Accounts' secrets join as plugins load. */
export function configuredSecrets(loaded: LoadedConfig): string[] {
  const { config } = loaded;
  return [
    ...config.clients.flatMap((client) => clientKeys(client).map((k) => k.key)),
    ...config.clients.flatMap((client) => client.subscriptions.flatMap((s) => s.secrets)),
    ...(config.metrics.token ? [config.metrics.token] : []),
    ...(config.database.url ? [config.database.url] : []),
  ];
}

/**
 * Builds the service without listening: main.ts and the tests share it. Config errors
 * (including plugins and account settings) surface here as a `ConfigError`.
 */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const env = options.env ?? process.env;
  const loaded = options.loaded ?? loadConfigFile(options.configPath ?? '', env);
  const appLogger = options.appLogger ?? createAppLogger({ level: env['LOG_LEVEL'] ?? 'info', secrets: configuredSecrets(loaded) });
  const { config } = loaded;
  const timeouts = httpServerTimeouts(config);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // What Fastify and Node refuse before any route answers in the one error shape too.
    ...frameworkErrorOptions(),
    ...requestIdAdapterOptions(),
    // The source of a request (the failed-auth limit counts per source; logs name it): behind trusted
    // proxies, the client X-Forwarded-For names; otherwise the peer, whatever the header says.
    ...trustProxyOption(config.server.trustProxy),
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: timeouts.keepAliveTimeout,
    connectionTimeout: timeouts.connectionTimeout,
    http: {
      requestTimeout: timeouts.requestTimeout,
      headersTimeout: timeouts.requestTimeout,
      connectionsCheckingInterval: timeouts.connectionsCheckingInterval,
    },
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  registerRequestIdHeader(fastify);
  registerSecurityHeaders(fastify);
  // Before the request logging: its line is written inside the request's span, with the trace id.
  registerRequestTracing(fastify);
  registerRequestLogging(fastify, appLogger.logger);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(loaded, appLogger), adapter, {
    abortOnError: false,
    rawBody: true,
    // Silent while starting: a config error is reported once, by the caller, not also as a Nest stack.
    logger: false,
  });
  app.useLogger(new PinoNestLogger(appLogger.logger));
  return app;
}

/**
 * Every API answer, errors and 404s included, is never to be cached (it may carry captures or
 * errors about them) and never content-sniffed. The docs page and its assets set their own headers.
 * A handler may still choose its own `cache-control` (`/openapi.json` does).
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (/^\/docs(\/|$)/.test(request.routeOptions.url ?? '')) return;
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
  });
}

/**
 * `server.trustProxy` as Fastify takes it. A list of addresses/CIDRs is passed as it is. Fastify no
 * longer takes a hop count (a number trusts nothing), so a count becomes the function proxy-addr
 * always meant by it: the peer and the next `hops - 1` addresses of X-Forwarded-For are proxies, and
 * the address before them is the client. Safe only when every request comes through those proxies.
 */
export function trustProxyOption(trustProxy: LoadedConfig['config']['server']['trustProxy']): {
  trustProxy?: string[] | ((address: string, hop: number) => boolean);
} {
  if (trustProxy === undefined || trustProxy === 0) return {};
  if (typeof trustProxy === 'number') return { trustProxy: (_address: string, hop: number) => hop < trustProxy };
  return { trustProxy: [...trustProxy] };
}

/** The port: `PORT`/`server.port` from the config, else 3000. */
export function portOf(loaded: LoadedConfig): number {
  return loaded.config.server.port ?? 3000;
}
