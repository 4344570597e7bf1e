import { Inject, Injectable } from '@nestjs/common';
import type { LifecyclePolicy } from '@capture-gateway/domain';
import { type LoadedConfig, PROVIDER_GRACE_MS } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import type { ProviderAccount } from '../plugins/plugin.registry';

/**
 * Each account's lifecycle policy, as the state machine reads it: what its plugin can do about a
 * capture in doubt (read its status; re-send it, where the provider is idempotent), the
 * reconciler's backoff, the account's pending threshold and how long its calls can take.
 */
@Injectable()
export class LifecyclePolicies {
  private readonly backoffMs: number[];
  private readonly maxResends: number;
  private readonly policies = new Map<string, LifecyclePolicy>();

  constructor(@Inject(APP_CONFIG) loaded: LoadedConfig) {
    this.backoffMs = loaded.config.reconciler.backoffSeconds.map((s) => s * 1000);
    this.maxResends = loaded.config.reconciler.maxResends;
  }

  of(account: ProviderAccount): LifecyclePolicy {
    let policy = this.policies.get(account.id);
    if (!policy) {
      const idempotent = account.plugin.capabilities.idempotentCapture;
      policy = {
        statusCheck: account.plugin.capabilities.statusCheck === true,
        // Within the provider's key window, and a margin for the re-send's own call.
        ...(idempotent && this.maxResends > 0
          ? { resend: { max: this.maxResends, windowMs: idempotent.windowSeconds * 1000 - account.timeoutMs - PROVIDER_GRACE_MS } }
          : {}),
        backoffMs: this.backoffMs,
        pendingCheckAfterMs: account.pendingCheckAfterMs,
        callWindowMs: account.timeoutMs + PROVIDER_GRACE_MS,
      };
      this.policies.set(account.id, policy);
    }
    return policy;
  }

  /** For a capture whose account is gone from the config: nothing can look at it but an operator. */
  none(): LifecyclePolicy {
    return { statusCheck: false, backoffMs: this.backoffMs, pendingCheckAfterMs: 0, callWindowMs: 0 };
  }
}
