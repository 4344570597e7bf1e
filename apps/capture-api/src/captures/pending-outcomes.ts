import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { APP_LOGGER, type AppLogger } from '../observability';
import { StorageUnavailableError } from '../persistence/storage-unavailable.error';

/** What a kept write is about, for the log: never the outcome's card or secrets, only its shape. */
export interface PendingOutcome {
  captureId: string;
  requestId: string;
  status: string;
  providerCaptureId?: string;
}

const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 10_000;

/**
 * A provider's answer that could not be written because the database was out of reach: kept in
 * memory and written again, backing off, for `database.outcomeRetrySeconds`. Past that (or at
 * shutdown) it is logged as an error with what the provider said, and the capture stays `unknown`
 * for the reconciler or an operator: the answer is never dropped silently.
 */
@Injectable()
export class PendingOutcomes implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly boundMs: number;
  private readonly pending = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(@Inject(APP_CONFIG) loaded: LoadedConfig, @Inject(APP_LOGGER) appLogger: AppLogger) {
    this.boundMs = loaded.config.database.outcomeRetrySeconds * 1000;
    this.logger = appLogger.logger.child({ context: 'PendingOutcomes' });
  }

  get size(): number {
    return this.pending.size;
  }

  /** Keeps writing `write` until it succeeds, the bound passes or the service stops. */
  keep(about: PendingOutcome, write: () => Promise<void>): void {
    this.logger.warn(about, "the database is out of reach: the provider's answer is kept and its write retried");
    const run = this.retry(about, write).finally(() => this.pending.delete(about.captureId));
    this.pending.set(about.captureId, run);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.pending.values()]);
  }

  private async retry(about: PendingOutcome, write: () => Promise<void>): Promise<void> {
    const giveUpAt = Date.now() + this.boundMs;
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
      await new Promise((done) => setTimeout(done, wait).unref());
      try {
        await write();
        this.logger.info(about, "the provider's answer was written once the database was back");
        return;
      } catch (error) {
        if (!(error instanceof StorageUnavailableError)) {
          this.logger.error({ ...about, err: error }, "the provider's answer could not be written; the capture is left for reconciliation");
          return;
        }
      }
      if (this.stopping || Date.now() + wait > giveUpAt) {
        this.logger.error(
          about,
          "the provider's answer could not be written in time; the capture is left for reconciliation with this answer",
        );
        return;
      }
    }
  }
}
