import { Inject, Injectable } from '@nestjs/common';
import { type LoadedConfig, PROVIDER_GRACE_MS } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import type { CheckSchedule } from '../persistence/captures.store';
import type { ProviderAccount } from '../plugins/plugin.registry';

const NEVER: CheckSchedule = { unknown: null, pending: null };

/**
 * When the reconciler checks a capture in doubt: only on accounts whose plugin can check; `unknown`
 * on the backoff schedule, `pending` first after the account's threshold, then on the backoff.
 */
@Injectable()
export class CheckPolicy {
  private readonly backoffMs: number[];

  constructor(@Inject(APP_CONFIG) loaded: LoadedConfig) {
    this.backoffMs = loaded.config.reconciler.backoffSeconds.map((s) => s * 1000);
  }

  /** For a capture about to be sent: checked, should no answer be stored, only once its call has surely ended. */
  atInsert(account: ProviderAccount, now = Date.now()): string | null {
    if (!canCheck(account)) return null;
    return iso(now + Math.max(this.backoffMs[0]!, account.timeoutMs + PROVIDER_GRACE_MS));
  }

  /** After a change (or the `attempts`-th check), by the status the capture ends in. */
  schedule(account: ProviderAccount, attempts = 0, now = Date.now()): CheckSchedule {
    if (!canCheck(account)) return NEVER;
    const backoff = this.backoffMs[Math.min(attempts, this.backoffMs.length - 1)]!;
    return { unknown: iso(now + backoff), pending: iso(now + (attempts === 0 ? account.pendingCheckAfterMs : backoff)) };
  }
}

export const canCheck = (account: ProviderAccount) => account.plugin.capabilities.statusCheck === true;

const iso = (ms: number) => new Date(ms).toISOString();
