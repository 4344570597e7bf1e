import { Inject, Injectable } from '@nestjs/common';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { RetryLaterError } from '../errors/api.errors';
import { MetricsService } from '../observability';
import type { KeyUse } from '../persistence/idempotency-keys.store';
import type { CaptureResponse } from './capture-response';
import { IdempotencyService, type KeyedRequest } from './idempotency.service';
import { ProviderSlots, type Slot } from './provider-slots';
import { type SlotSettings, slotSettingsOf } from './provider-slots.settings';

// Not a slug, so no API client can share the reconciler's queue or cap.
const RECONCILER = ':reconciler';

/** One `ProviderSlots` per configured account: who may have a call in flight at its provider. */
@Injectable()
export class ProviderSlotsService {
  private readonly accounts = new Map<string, { slots: ProviderSlots; settings: SlotSettings }>();

  constructor(
    @Inject(APP_CONFIG) loaded: LoadedConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
  ) {
    for (const account of loaded.config.accounts) {
      const settings = slotSettingsOf(account);
      this.accounts.set(account.id, { settings, slots: new ProviderSlots({ slots: settings.slots, perCaller: settings.perClient }) });
    }
  }

  /**
   * What a new capture needs before it is written: a slot now; else, for a key the client used already,
   * the key's stored answer (a replay sends nothing, so it needs no slot); else a slot within the wait,
   * or 503 provider_busy. A stale key taken over here is released again when no slot comes.
   */
  async beforeCapture(
    accountId: string,
    clientId: string,
    keyed: KeyedRequest | undefined,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<{ slot: Slot; use?: KeyUse } | { replay: CaptureResponse }> {
    const now = this.accounts.get(accountId)?.slots.tryAcquire(clientId);
    if (now) return { slot: now };
    const existing = keyed && (await this.idempotency.entry(clientId, keyed.key));
    if (!keyed || !existing) return { slot: await this.forCapture(accountId, clientId, signal) };
    const taken = await this.idempotency.whenTaken(clientId, keyed, existing, requestId);
    if ('replay' in taken) return taken;
    const slot = await this.idempotency.releasingOnError(clientId, keyed.key, () => this.forCapture(accountId, clientId, signal));
    return { slot, use: { key: keyed.key, held: true } };
  }

  /**
   * A slot for an API client's new capture, within the account's wait, or 503 provider_busy: asked
   * before the capture is written, so a refused one is stored as nothing and its key stays free.
   */
  async forCapture(accountId: string, clientId: string, signal?: AbortSignal): Promise<Slot> {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no slots for account ${accountId}`);
    const got = await account.slots.acquire(clientId, account.settings.waitMs, signal);
    if (typeof got !== 'string') return got;
    this.metrics.recordProviderBusy({ account: accountId, client: clientId });
    throw new RetryLaterError(
      'provider_busy',
      `Too many captures are in flight at this account's provider; this one was not sent and not stored. Retry with the same Idempotency-Key`,
      account.settings.retryAfterSeconds,
    );
  }

  /**
   * A slot for the reconciler, now or never: it holds at most its own small share, never waits (a
   * capture it cannot look at now stays due and is looked at on a later pass), so it cannot starve API captures.
   */
  forReconciler(accountId: string): Slot | undefined {
    const account = this.accounts.get(accountId);
    return account?.slots.tryAcquire(RECONCILER, account.settings.reconciler);
  }
}
