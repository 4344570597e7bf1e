import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type CaptureOutcomeLabel = 'succeeded' | 'failed' | 'pending' | 'unknown';

/** Events waiting for one subscription, as the store counts them at scrape time. */
export interface DeliveryBacklogSample {
  subscriptionId: string;
  pending: number;
  oldestEventAt: string;
}

/** Captures in doubt on one account in one status, as the store counts them at scrape time. */
export interface InDoubtSample {
  account: string;
  status: 'unknown' | 'pending';
  count: number;
  oldestUpdatedAt: string;
}

// Provider calls wait on the network: buckets from 50 ms to the longest timeout we allow.
const PROVIDER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's metrics, in a registry of its own (not prom-client's global one), so two app
 * instances in one process, as in tests, never clash. Labels are bounded: accounts and providers
 * come from configuration, routes are patterns, outcomes a fixed set.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly captures = new Counter({
    name: 'captures_total',
    help: 'Capture attempts by account, provider and outcome',
    labelNames: ['account', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly webhookOutcomes = new Counter({
    name: 'capture_webhook_updates_total',
    help: 'Capture status changes made by provider webhooks, by account, provider and new status',
    labelNames: ['account', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly webhookRefused = new Counter({
    name: 'capture_webhook_updates_refused_total',
    help: 'Authenticated webhook updates not applied: no capture matched, or their references contradict it',
    labelNames: ['account', 'provider'] as const,
    registers: [this.registry],
  });

  private readonly flags = new Counter({
    name: 'capture_flags_total',
    help: "Reports refused and flagged for an operator: one contradicting a final status, or a success above the request or in another currency (not applied; in the capture's history and on the operations page), by reason and source",
    labelNames: ['account', 'provider', 'reason', 'source'] as const,
    registers: [this.registry],
  });

  private readonly statusChecks = new Counter({
    name: 'capture_status_checks_total',
    help: "The reconciler's status checks at providers, by account, provider and answer (found, not_received, cannot_tell)",
    labelNames: ['account', 'provider', 'answer'] as const,
    registers: [this.registry],
  });

  private readonly providerBusy = new Counter({
    name: 'capture_provider_busy_total',
    help: "Captures refused with 503 provider_busy (no slot at the account's provider in time: never sent, never stored), by account and client",
    labelNames: ['account', 'client'] as const,
    registers: [this.registry],
  });

  private inDoubtSource: (() => Promise<InDoubtSample[]>) | undefined;

  private readonly inDoubt = new Gauge({
    name: 'capture_in_doubt',
    help: 'Captures not final (unknown, pending) by account and status',
    labelNames: ['account', 'status'] as const,
    registers: [this.registry],
    collect: () => this.collectInDoubt(),
  });

  private readonly inDoubtOldest = new Gauge({
    name: 'capture_in_doubt_oldest_age_seconds',
    help: 'Seconds since the oldest capture in doubt last changed, by account and status',
    labelNames: ['account', 'status'] as const,
    registers: [this.registry],
  });

  private readonly pendingCheckAfter = new Gauge({
    name: 'capture_pending_check_after_seconds',
    help: "An account's pending threshold: a capture pending longer is checked, and worth an alert",
    labelNames: ['account'] as const,
    registers: [this.registry],
  });

  private readonly deliveries = new Counter({
    name: 'capture_event_deliveries_total',
    help: 'Event delivery attempts by subscription and outcome (delivered, retry, gave_up)',
    labelNames: ['subscription', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly deliveryDuration = new Histogram({
    name: 'capture_event_delivery_duration_seconds',
    help: 'How long a delivery attempt took, by subscription',
    labelNames: ['subscription'] as const,
    buckets: PROVIDER_BUCKETS,
    registers: [this.registry],
  });

  private backlogSource: (() => Promise<DeliveryBacklogSample[]>) | undefined;

  private readonly deliveryBacklog = new Gauge({
    name: 'capture_event_delivery_backlog',
    help: 'Events waiting to be delivered, by subscription',
    labelNames: ['subscription'] as const,
    registers: [this.registry],
    collect: () => this.collectBacklog(),
  });

  private readonly deliveryLag = new Gauge({
    name: 'capture_event_delivery_lag_seconds',
    help: 'Age of the oldest event still to be delivered, by subscription',
    labelNames: ['subscription'] as const,
    registers: [this.registry],
  });

  private readonly providerDuration = new Histogram({
    name: 'provider_request_duration_seconds',
    help: 'Duration of calls to providers',
    labelNames: ['provider', 'outcome'] as const,
    buckets: PROVIDER_BUCKETS,
    registers: [this.registry],
  });

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordCapture(labels: { account: string; provider: string; outcome: CaptureOutcomeLabel }): void {
    this.captures.inc(labels);
  }

  /** A webhook moved a capture (pending to succeeded, say); `captures_total` counted the attempt already. */
  recordWebhookOutcome(labels: { account: string; provider: string; outcome: CaptureOutcomeLabel }): void {
    this.webhookOutcomes.inc(labels);
  }

  recordWebhookRefused(labels: { account: string; provider: string }): void {
    this.webhookRefused.inc(labels);
  }

  recordFlag(labels: { account: string; provider: string; reason: string; source: string }): void {
    this.flags.inc(labels);
  }

  recordProviderBusy(labels: { account: string; client: string }): void {
    this.providerBusy.inc(labels);
  }

  recordStatusCheck(labels: { account: string; provider: string; answer: string }): void {
    this.statusChecks.inc(labels);
  }

  /** Where the in-doubt gauges come from at scrape time, and each account's pending threshold. */
  watchInDoubt(source: () => Promise<InDoubtSample[]>, pendingThresholds: ReadonlyMap<string, number>): void {
    this.inDoubtSource = source;
    for (const [account, seconds] of pendingThresholds) this.pendingCheckAfter.set({ account }, seconds);
  }

  private async collectInDoubt(): Promise<void> {
    if (!this.inDoubtSource) return;
    const samples = await this.inDoubtSource();
    const now = Date.now();
    // Reset first: an account whose captures all settled must read 0, not its last count.
    this.inDoubt.reset();
    this.inDoubtOldest.reset();
    for (const { account, status, count, oldestUpdatedAt } of samples) {
      this.inDoubt.set({ account, status }, count);
      this.inDoubtOldest.set({ account, status }, Math.max(0, (now - Date.parse(oldestUpdatedAt)) / 1000));
    }
  }

  recordDelivery(labels: { subscription: string; outcome: 'delivered' | 'retry' | 'gave_up' }, seconds: number): void {
    this.deliveries.inc(labels);
    this.deliveryDuration.observe({ subscription: labels.subscription }, seconds);
  }

  /** Where the delivery backlog gauges come from at scrape time. */
  watchDeliveries(source: () => Promise<DeliveryBacklogSample[]>): void {
    this.backlogSource = source;
  }

  private async collectBacklog(): Promise<void> {
    if (!this.backlogSource) return;
    const samples = await this.backlogSource();
    const now = Date.now();
    this.deliveryBacklog.reset();
    this.deliveryLag.reset();
    for (const { subscriptionId, pending, oldestEventAt } of samples) {
      this.deliveryBacklog.set({ subscription: subscriptionId }, pending);
      this.deliveryLag.set({ subscription: subscriptionId }, Math.max(0, (now - Date.parse(oldestEventAt)) / 1000));
    }
  }

  observeProviderRequest(labels: { provider: string; outcome: CaptureOutcomeLabel }, seconds: number): void {
    this.providerDuration.observe(labels, seconds);
  }

  /** Starts a provider call's clock; call the returned function with its outcome when it ends. */
  startProviderTimer(provider: string): (outcome: CaptureOutcomeLabel) => void {
    const started = process.hrtime.bigint();
    return (outcome) => this.observeProviderRequest({ provider, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  recordHttpRequest(labels: { method: string; route: string; status: number }, seconds: number): void {
    const values = { method: labels.method, route: labels.route, status: String(labels.status) };
    this.httpRequests.inc(values);
    this.httpDuration.observe(values, seconds);
  }

  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
