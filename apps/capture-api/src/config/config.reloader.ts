import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from 'pino';
import { APP_LOGGER, type AppLogger, MetricsService } from '../observability';
import { ConfigError } from './config.errors';
import { configEnvFrom, loadConfigFile } from './config.loader';
import { configHash, restartOnlyChanges } from './config.reload';
import { clientKeys } from './clients.schemas';
import type { LoadedConfig } from './config.schemas';
import { APP_CONFIG } from './config.tokens';

/**
 * What a registry does with a new config: build its next snapshot (may throw, nothing changed yet)
 * and return the swap, which must not fail. All swaps run together, synchronously, once every
 * registry has built its snapshot: no request ever sees keys of one config and subscriptions of another.
 */
export type ReloadPreparer = (next: LoadedConfig) => () => void;

export type ReloadResult = 'applied' | 'unchanged' | 'invalid' | 'refused';

export interface ReloadOutcome {
  result: ReloadResult;
  hash: string;
  /** Why the running config was kept: the config error, or the sections that need a restart. */
  reason?: string;
}

/**
 * Re-reads the config file the service started with (SIGHUP, see main.ts) and swaps the clients,
 * their keys and scopes, and their event subscriptions. An invalid file, or one that changes what
 * only a restart can change, keeps the running config; either way one log line says why.
 */
@Injectable()
export class ConfigReloader {
  private running: LoadedConfig;
  private readonly path: string;
  private readonly preparers: ReloadPreparer[] = [];
  private readonly logger: Logger;
  private readonly reloads: Counter<'result'>;
  private readonly info: Gauge<'hash'>;

  constructor(
    @Inject(APP_CONFIG) loaded: LoadedConfig,
    @Inject(APP_LOGGER) private readonly appLogger: AppLogger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.running = loaded;
    this.path = resolve(loaded.dir, loaded.file);
    this.logger = appLogger.logger.child({ context: 'ConfigReload' });
    this.reloads = new Counter({
      name: 'capture_config_reloads_total',
      help: 'Config reloads by result: applied, unchanged, invalid (file kept out), refused (a restart-only section changed)',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    });
    this.info = new Gauge({
      name: 'capture_config_info',
      help: 'The running config: 1 for its hash (12 hex characters of SHA-256 of the validated config)',
      labelNames: ['hash'] as const,
      registers: [metrics.registry],
    });
    this.info.set({ hash: configHash(loaded) }, 1);
  }

  /** Registers a registry's part of a reload: see `ReloadPreparer`. */
  register(prepare: ReloadPreparer): void {
    this.preparers.push(prepare);
  }

  /** The config in force now: start-up's, or the last one a reload applied. */
  get current(): LoadedConfig {
    return this.running;
  }

  reload(env: NodeJS.ProcessEnv = process.env): ReloadOutcome {
    const outcome = this.attempt(env);
    this.reloads.inc({ result: outcome.result });
    const fields = { result: outcome.result, hash: outcome.hash, file: this.running.file };
    if (outcome.reason) this.logger.error(fields, `config reload ${outcome.result}, running config kept: ${outcome.reason}`);
    else this.logger.info(fields, `config reload ${outcome.result}`);
    return outcome;
  }

  private attempt(env: NodeJS.ProcessEnv): ReloadOutcome {
    const runningHash = configHash(this.running);
    let next: LoadedConfig;
    try {
      next = loadConfigFile(this.path, configEnvFrom(env));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { result: 'invalid', hash: runningHash, reason: error.message };
    }
    const changed = restartOnlyChanges(this.running.config, next.config);
    if (changed.length) {
      return {
        result: 'refused',
        hash: runningHash,
        reason: `${changed.join(', ')} changed; only clients reload, the rest needs a restart`,
      };
    }
    const hash = configHash(next);
    if (hash === runningHash) return { result: 'unchanged', hash };
    let swaps: Array<() => void>;
    try {
      swaps = this.preparers.map((prepare) => prepare(next));
    } catch (error) {
      return { result: 'invalid', hash: runningHash, reason: error instanceof Error ? error.message : String(error) };
    }
    // New keys and signing secrets are scrubbed from logs before anything can use them.
    this.appLogger.secrets.add(
      next.config.clients.flatMap((c) => [...clientKeys(c).map((k) => k.key), ...c.subscriptions.flatMap((s) => s.secrets)]),
    );
    for (const swap of swaps) swap();
    this.running = next;
    this.info.reset();
    this.info.set({ hash }, 1);
    return { result: 'applied', hash };
  }
}
