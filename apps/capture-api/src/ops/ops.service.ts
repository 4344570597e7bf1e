import { Inject, Injectable } from '@nestjs/common';
import type { ApiClient } from '../auth/api-clients';
import { PROVIDER_OUTCOMES, type ProviderOutcome } from '@capture-gateway/domain';
import { PROVIDER_GRACE_MS } from '../config/config.schemas';
import { emptyCounts, type AttentionEntry, type HealthGroup, type OpsStore } from '../persistence/ops.store';
import { OPS_STORE } from '../persistence/storage';
import type { PluginRegistry } from '../plugins/plugin.registry';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import {
  type AttentionItem,
  type AttentionQuery,
  HEALTH_WINDOWS,
  type HealthQuery,
  type HealthReport,
  type ProviderHealth,
} from './ops.schemas';

const iso = (ms: number) => new Date(ms).toISOString();

/** The operations page's data, on the accounts the operator's key may use. */
@Injectable()
export class OpsService {
  constructor(
    @Inject(OPS_STORE) private readonly store: OpsStore,
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
  ) {}

  /**
   * Captures an operator should look at, oldest first. The thresholds are the ones the service
   * already acts on: an `unknown` capture is in doubt once its call has surely ended (the account's
   * timeout and the grace, as resolving requires), a `pending` one once it passed the account's
   * `pendingCheckAfterSeconds`, when the reconciler would first check it.
   */
  async attention(
    client: ApiClient,
    query: AttentionQuery,
    now = Date.now(),
  ): Promise<{ data: AttentionItem[]; nextCursor: string | null }> {
    const thresholds = this.accountsOf(client, query.account).map((account) => ({
      account: account.id,
      unknownBefore: iso(now - account.timeoutMs - PROVIDER_GRACE_MS),
      pendingBefore: iso(now - account.pendingCheckAfterMs),
    }));
    const entries = await this.store.attention({ thresholds, limit: query.limit + 1, ...(query.cursor ? { after: query.cursor } : {}) });
    const data = entries.slice(0, query.limit).map((entry) => attentionItem(entry, now));
    return { data, nextCursor: entries.length > query.limit ? (data.at(-1)?.id ?? null) : null };
  }

  /** Per account: how its provider answered captures created in the window, as counts, rates, latency and a series for charts. */
  async health(client: ApiClient, query: HealthQuery, now = Date.now()): Promise<HealthReport> {
    const { ms, bucketMs } = HEALTH_WINDOWS[query.window];
    const from = now - ms;
    const accounts = this.accountsOf(client);
    const groups = await this.store.health({ accounts: accounts.map((a) => a.id), from, to: now, bucketMs });
    const firstBucket = Math.floor(from / bucketMs) * bucketMs;
    const buckets = Array.from({ length: Math.floor((now - firstBucket) / bucketMs) + 1 }, (_, i) => firstBucket + i * bucketMs);
    return {
      window: query.window,
      from: iso(from),
      to: iso(now),
      bucketSeconds: bucketMs / 1000,
      accounts: accounts.map((account): ProviderHealth => {
        const mine = groups.filter((g) => g.account === account.id && g.provider === account.plugin.id);
        const whole = summary(mine.find((g) => g.bucket === undefined));
        const series = buckets.map((start) => ({ start: iso(start), ...summary(mine.find((g) => g.bucket === start)) }));
        return { account: account.id, provider: account.plugin.id, ...whole, rates: rates(whole.counts, whole.total), series };
      }),
    };
  }

  private accountsOf(client: ApiClient, only?: string) {
    return client.accounts.filter((id) => only === undefined || id === only).flatMap((id) => this.registry.account(id) ?? []);
  }
}

function attentionItem({ capture, reason, since }: AttentionEntry, now: number): AttentionItem {
  return {
    id: capture.id,
    account: capture.account,
    provider: capture.provider,
    authorisationId: capture.authorisationId,
    status: capture.status,
    reason,
    since,
    ageSeconds: Math.max(0, Math.floor((now - Date.parse(since)) / 1000)),
    ...(capture.requestedAmount ? { requestedAmount: capture.requestedAmount } : {}),
    ...(capture.providerReferences.captureId ? { providerCaptureId: capture.providerReferences.captureId } : {}),
    ...(capture.error ? { errorCode: capture.error.code } : {}),
  };
}

function summary(group: HealthGroup | undefined) {
  const counts = group?.counts ?? emptyCounts();
  const total = PROVIDER_OUTCOMES.reduce((sum, k) => sum + counts[k], 0);
  return { total, counts, latencyMs: group?.latencyMs ?? { p50: null, p95: null, p99: null } };
}

const rates = (counts: Record<ProviderOutcome, number>, total: number) =>
  Object.fromEntries(PROVIDER_OUTCOMES.map((k) => [k, total === 0 ? null : Math.round((counts[k] / total) * 10_000) / 10_000])) as Record<
    ProviderOutcome,
    number | null
  >;
