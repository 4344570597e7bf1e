import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BackgroundLoop } from '../background/background-loop';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { APP_LOGGER, type AppLogger } from '../observability';
import type { EventDeliveryStore } from '../persistence/event-deliveries.store';
import type { IdempotencyKeyStore } from '../persistence/idempotency-keys.store';
import { EVENT_DELIVERY_STORE, IDEMPOTENCY_KEY_STORE, WEBHOOK_EVENT_STORE } from '../persistence/storage';
import type { WebhookEventStore } from '../persistence/webhook-events.store';

const EVERY_MS = 3_600_000;

/**
 * Forgets what is kept only for a while, hourly, on every replica (each delete is idempotent):
 * idempotency keys and provider webhook event ids after `idempotency.retentionHours`, capture
 * events with their deliveries after `events.retentionDays`. Captures and their history stay.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: BackgroundLoop;
  private readonly keysMs: number;
  private readonly eventsMs: number;

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
      EVERY_MS,
      (error) => this.logger.error({ err: error }, 'pruning failed; retrying in an hour'),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; returns what each kind lost. */
  async prune(now = Date.now()): Promise<{ keys: number; webhookEvents: number; events: number }> {
    const keysBefore = new Date(now - this.keysMs);
    const pruned = {
      keys: await this.keys.prune(keysBefore),
      webhookEvents: await this.webhookEvents.prune(keysBefore),
      events: await this.deliveries.prune(new Date(now - this.eventsMs)),
    };
    if (pruned.keys + pruned.webhookEvents + pruned.events > 0) this.logger.info(pruned, 'pruned past their retention');
    return pruned;
  }
}
