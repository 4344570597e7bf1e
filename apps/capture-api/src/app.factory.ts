import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { loadConfigFile } from './config/config.loader';
import type { LoadedConfig } from './config/config.schemas';

export interface CreateAppOptions {
  /** A config file to load; or `loaded`, an already validated config. */
  configPath?: string;
  loaded?: LoadedConfig;
  env?: NodeJS.ProcessEnv;
  logLevels?: LogLevel[] | false;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * Builds the service without listening: main.ts and the end-to-end tests share it. Config errors
 * (including plugins and account settings) surface here as a `ConfigError`.
 */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const loaded = options.loaded ?? loadConfigFile(options.configPath!, options.env);
  const adapter = new FastifyAdapter({
    bodyLimit: 64 * 1024,
    // A caller's `x-request-id` is kept when it is sane, so logs on both sides line up.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${randomUUID().replace(/-/g, '')}`;
    },
  });
  adapter.getInstance().addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(loaded), adapter, {
    abortOnError: false,
    rawBody: true,
    // Silent while starting: a config error is reported once, by the caller, not also as a Nest stack.
    logger: false,
  });
  app.useLogger(options.logLevels ?? ['error', 'warn']);
  app.enableShutdownHooks();
  return app;
}

/** The port: `PORT`/`server.port` from the config, else 3000. */
export function portOf(loaded: LoadedConfig): number {
  return loaded.config.server.port ?? 3000;
}
