import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { BackgroundLoop } from '../background/background-loop';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { APP_LOGGER, type AppLogger } from '../observability';
import type { EventDeliveryStore } from '../persistence/event-deliveries.store';
import type { IdempotencyKeyStore } from '../persistence/idempotency-keys.store';
import { PRUNE_BATCH_ROWS } from '../persistence/prune-batch';
import { EVENT_DELIVERY_STORE, IDEMPOTENCY_KEY_STORE, WEBHOOK_EVENT_STORE } from '../persistence/storage';
import type { WebhookEventStore } from '../persistence/webhook-events.store';

export const PRUNE_EVERY_MS = 3_600_000;
/** The first pass, soon after start-up (so a replica restarted more often than hourly still prunes), spread by ±50 %. */
export const FIRST_PRUNE_AFTER_MS = 60_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Forgets what is kept only for a while, on every replica (each delete is idempotent, and replicas
 * pruning at once on PostgreSQL skip each other's locked rows): idempotency keys and provider webhook
 * event ids after `idempotency.retentionHours`, capture events with their deliveries after
 * `events.retentionDays`. Captures and their history stay. Deletes go in batches of
 * `PRUNE_BATCH_ROWS` rows, with a turn of the event loop between them.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: BackgroundLoop;
  private readonly keysMs: number;
  private readonly eventsMs: number;
  private stopping = false;

  constructor(
    @Inject(IDEMPOTENCY_KEY_STORE) private readonly keys: IdempotencyKeyStore,
    @Inject(WEBHOOK_EVENT_STORE) private readonly webhookEvents: WebhookEventStore,
    @Inject(EVENT_DELIVERY_STORE) private readonly deliveries: EventDeliveryStore,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.keysMs = loaded.config.idempotency.retentionHours * 3_600_000;
    this.eventsMs = loaded.config.events.retentionDays * 86_400_000;
    this.logger = appLogger.logger.child({ context: 'Retention' });
    this.loop = new BackgroundLoop(
      () => this.prune().then(() => 0),
      PRUNE_EVERY_MS,
      (error) => this.logger.error({ err: error }, 'pruning failed; retrying in an hour'),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start(Math.round(FIRST_PRUNE_AFTER_MS * (0.5 + Math.random())));
  }

  /** A pass in progress stops at its next batch: a large backlog never holds up a shutdown. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass, each kind in batches until none is left; returns the rows each kind lost. */
  async prune(now = Date.now()): Promise<{ keys: number; webhookEvents: number; eventRows: number }> {
    const keysBefore = new Date(now - this.keysMs);
    const eventsBefore = new Date(now - this.eventsMs);
    const pruned = {
      keys: await this.inBatches((limit) => this.keys.prune(keysBefore, limit)),
      webhookEvents: await this.inBatches((limit) => this.webhookEvents.prune(keysBefore, limit)),
      eventRows: await this.inBatches((limit) => this.deliveries.prune(eventsBefore, limit)),
    };
    if (pruned.keys + pruned.webhookEvents + pruned.eventRows > 0) this.logger.info(pruned, 'pruned past their retention');
    return pruned;
  }

  private async inBatches(batch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    while (!this.stopping) {
      const rows = await batch(PRUNE_BATCH_ROWS);
      total += rows;
      if (rows === 0) break;
      // The embedded store runs each batch on the event loop: let requests through between them.
      await nextTurn();
    }
    return total;
  }
}
