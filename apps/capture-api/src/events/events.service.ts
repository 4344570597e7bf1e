import { Inject, Injectable } from '@nestjs/common';
import type { CaptureEvent } from '@capture-gateway/domain';
import type { ApiClient } from '../auth/api-clients';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { ApiError, notFound } from '../errors/api.errors';
import type { CaptureEventStore, DeliveryState, StoredEvent } from '../persistence/capture-events.store';
import type { EventDeliveryStore } from '../persistence/event-deliveries.store';
import { CAPTURE_EVENT_STORE, EVENT_DELIVERY_STORE } from '../persistence/storage';
import { EventIdSchema, type ListEventsQuery } from './list-events.query';
import { SubscriptionRegistry } from './subscription.registry';

/** A client's own events: catch-up listing within the retention window, and redelivery. */
@Injectable()
export class EventsService {
  private readonly retentionMs: number;

  constructor(
    @Inject(CAPTURE_EVENT_STORE) private readonly events: CaptureEventStore,
    @Inject(EVENT_DELIVERY_STORE) private readonly deliveries: EventDeliveryStore,
    @Inject(SubscriptionRegistry) private readonly subscriptions: SubscriptionRegistry,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
  ) {
    this.retentionMs = loaded.config.events.retentionDays * 86_400_000;
  }

  /** The client's events, oldest first, as delivered (the same JSON). */
  async list(client: ApiClient, query: ListEventsQuery): Promise<{ data: CaptureEvent[]; nextCursor: string | null }> {
    // Its events are written only when a subscription takes them: a list would be silently short.
    if (this.subscriptions.unpolled.has(client.id)) {
      throw new ApiError(
        'events_not_kept',
        'This client is configured with events: subscriptions; its events are pushed to its subscriptions, not kept for polling',
        'events',
      );
    }
    const page = await this.events.list({
      clientId: client.id,
      limit: query.limit + 1,
      since: new Date(Date.now() - this.retentionMs),
      ...(query.type ? { type: query.type } : {}),
      ...(query.captureId ? { captureId: query.captureId } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
    });
    const data = page.slice(0, query.limit);
    return { data: data.map(parse), nextCursor: page.length > query.limit ? (data.at(-1)?.id ?? null) : null };
  }

  /** One event with its deliveries to the client's subscriptions. Another client's event is 404. */
  async get(client: ApiClient, id: string): Promise<{ event: CaptureEvent; deliveries: DeliveryState[] }> {
    const stored = await this.own(client, id);
    return { event: parse(stored), deliveries: await this.events.deliveries(stored.id) };
  }

  /** Sends the event again to each of the client's subscriptions that take it, whatever came of it before. */
  async redeliver(client: ApiClient, id: string): Promise<{ redelivered: number }> {
    const stored = await this.own(client, id);
    const targets = this.subscriptions
      .ofClient(client.id)
      .filter((s) => s.types.includes(stored.type) && s.accounts.has(stored.account))
      .map((s) => s.id);
    if (targets.length === 0) {
      throw new ApiError('invalid_request', `No subscription of yours takes ${stored.type} events of account ${stored.account}`, 'id');
    }
    return { redelivered: await this.deliveries.redeliver(stored.id, targets, new Date()) };
  }

  private async own(client: ApiClient, id: string): Promise<StoredEvent> {
    if (!EventIdSchema.safeParse(id).success) throw new ApiError('invalid_request', 'id: must be an event id such as "evt_01J…"', 'id');
    const stored = await this.events.find(client.id, id);
    if (!stored || !client.canUse(stored.account)) throw notFound('event');
    return stored;
  }
}

const parse = (stored: StoredEvent) => JSON.parse(stored.payload) as CaptureEvent;
