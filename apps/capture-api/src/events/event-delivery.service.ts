import type { Agent as HttpAgent } from 'node:http';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { APP_LOGGER, type AppLogger, MetricsService } from '../observability';
import type { DeliveryAttempt, DueDelivery, EventDeliveryStore } from '../persistence/event-deliveries.store';
import { EVENT_DELIVERY_STORE } from '../persistence/storage';
import { BackgroundLoop } from '../background/background-loop';
import { afterFailure } from './delivery-backoff';
import { endpointAgent, postEvent } from './event-post';
import { SIGNATURE_HEADER, signatureHeader } from './event-signature';
import { type Subscription, SubscriptionRegistry } from './subscription.registry';

/**
 * Pushes capture events to the product teams' endpoints, signed, at least once. Due deliveries are leased in the
 * database, so replicas share them and never send one twice at the same time: an attempt's timeout
 * ends it before its lease does (checked at start-up, `deliveryTimeoutProblem`), and its result is
 * recorded only under its own claim. After a crash, a delivery whose lease ran out is sent again:
 * receivers deduplicate on the event id. It runs beside the request path, never on it.
 */
@Injectable()
export class EventDeliveryService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly settings: LoadedConfig['config']['events'];
  private readonly agents = new Map<string, HttpAgent>();
  /** One loop per subscription id, with the endpoint shape (url, cap) its agent was made for. */
  private readonly loops = new Map<string, { loop: BackgroundLoop; agentKey: string }>();
  private closing = false;

  constructor(
    @Inject(EVENT_DELIVERY_STORE) private readonly deliveries: EventDeliveryStore,
    @Inject(SubscriptionRegistry) private readonly subscriptions: SubscriptionRegistry,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
    @Inject(APP_LOGGER) appLogger: AppLogger,
  ) {
    this.settings = loaded.config.events;
    this.logger = appLogger.logger.child({ context: 'EventDelivery' });
  }

  onApplicationBootstrap(): void {
    this.metrics.watchDeliveries(() => this.deliveries.backlog());
    if (!this.settings.delivery.enabled) return;
    this.syncLoops(this.subscriptions.all);
    // A config reload adds, removes or changes subscriptions: their loops follow.
    this.subscriptions.onChange((all) => this.syncLoops(all));
  }

  /**
   * One loop per subscription: a slow endpoint delays only itself. Each pass reads the subscription
   * as configured now (new secrets sign at once); a removed one stops after its pass in flight, and
   * one whose URL or cap changed gets a new loop and agent (the old agent goes once its pass ended).
   */
  private syncLoops(all: readonly Subscription[]): void {
    if (this.closing) return;
    const wanted = new Map(all.map((s) => [s.id, agentKeyOf(s)]));
    for (const [id, running] of this.loops) {
      if (wanted.get(id) === running.agentKey) continue;
      this.loops.delete(id);
      void running.loop.stop().then(() => this.dropAgent(running.agentKey));
    }
    const failed = (error: unknown) => this.logger.error({ err: error }, 'event delivery pass failed; retrying at the next');
    for (const [id, agentKey] of wanted) {
      if (this.loops.has(id)) continue;
      const pass = () => {
        const subscription = this.subscriptions.find(id);
        return subscription ? this.runOnce(subscription) : Promise.resolve(0);
      };
      const loop = new BackgroundLoop(pass, this.settings.delivery.intervalMs, failed);
      this.loops.set(id, { loop, agentKey });
      loop.start();
    }
  }

  private dropAgent(agentKey: string): void {
    if ([...this.loops.values()].some((running) => running.agentKey === agentKey)) return;
    this.agents.get(agentKey)?.destroy();
    this.agents.delete(agentKey);
  }

  /**
   * At the start of a shutdown, before the HTTP server drains: no new pass starts, so the attempts in
   * flight end within their timeout, which start-up checked against the shutdown deadline.
   */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const { loop } of this.loops.values()) void loop.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.loops.values()].map(({ loop }) => loop.stop()));
    for (const agent of this.agents.values()) agent.destroy();
  }

  private agentFor(subscription: Subscription): HttpAgent {
    const key = agentKeyOf(subscription);
    let agent = this.agents.get(key);
    if (!agent) {
      agent = endpointAgent(subscription.url, subscription.maxConcurrent);
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** One pass for one subscription: leases what is due (within its cap) and sends it. Returns how many were sent. */
  async runOnce(subscription: Subscription, now = new Date()): Promise<number> {
    const leaseUntil = new Date(now.getTime() + this.settings.delivery.leaseSeconds * 1000);
    const due = await this.deliveries.claimDue(subscription.id, now, subscription.maxConcurrent, leaseUntil);
    await Promise.all(due.map((delivery) => this.deliver(subscription, delivery)));
    return due.length;
  }

  private async deliver(subscription: Subscription, delivery: DueDelivery): Promise<void> {
    const at = new Date();
    const started = performance.now();
    const attempt: DeliveryAttempt = { at, durationMs: 0 };
    try {
      const headers = {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signatureHeader(delivery.payload, subscription.secrets, at),
        'capture-event-id': delivery.eventId,
        'capture-event-type': delivery.type,
        'user-agent': 'capture-gateway-events/1',
      };
      const status = await postEvent(
        subscription.url,
        headers,
        delivery.payload,
        this.settings.delivery.timeoutMs,
        this.agentFor(subscription),
      );
      attempt.status = status;
      if (status < 200 || status >= 300) attempt.error = `the endpoint answered HTTP ${status}`;
    } catch (error) {
      attempt.error = describeFailure(error, this.settings.delivery.timeoutMs);
    }
    attempt.durationMs = performance.now() - started;
    const next = attempt.error
      ? afterFailure(this.settings.delivery, delivery.attempts + 1, delivery.eventCreatedAt, new Date())
      : { state: 'delivered' as const };
    const fields = { eventId: delivery.eventId, subscription: subscription.id, attempt: delivery.attempts + 1, status: attempt.status };
    if (!(await this.deliveries.recordAttempt(delivery, attempt, next))) {
      // Outlived its lease (a stalled process?) and another attempt took over, or the event was pruned.
      this.logger.warn(
        { ...fields, error: attempt.error, durationMs: Math.round(attempt.durationMs) },
        'event delivery result not recorded',
      );
      return;
    }
    const outcome = next.state === 'delivered' ? 'delivered' : next.state === 'failed' ? 'gave_up' : 'retry';
    this.metrics.recordDelivery({ subscription: subscription.id, outcome }, attempt.durationMs / 1000);
    if (outcome === 'delivered') this.logger.debug(fields, 'event delivered');
    else this.logger.warn({ ...fields, error: attempt.error, outcome }, 'event delivery failed');
  }
}

// An agent serves one endpoint at one cap: a reload that changes either needs a new one.
const agentKeyOf = (s: Subscription) => `${s.id} ${s.maxConcurrent} ${s.url}`;

// The failure in a few words: never the URL (it may hold credentials) nor a secret.
function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code =
    (error as { code?: string; cause?: { code?: string } } | undefined)?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code ? `the connection failed (${code})` : 'the connection failed';
}
