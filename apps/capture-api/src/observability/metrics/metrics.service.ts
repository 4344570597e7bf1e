import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export type CaptureOutcomeLabel = 'succeeded' | 'failed' | 'pending' | 'unknown';

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
