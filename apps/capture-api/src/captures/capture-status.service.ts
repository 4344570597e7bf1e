import { Inject, Injectable } from '@nestjs/common';
import type { CaptureOutcome } from '@capture-gateway/domain';
import type { AppliedOutcome, CaptureStore, ChangeMeta, StatusChangeInput } from '../persistence/captures.store';
import { CAPTURE_STORE } from '../persistence/storage';
import type { ProviderAccount } from '../plugins/plugin.registry';
import { newEventId } from './capture-id';
import { CheckPolicy } from './check-policy';
import { SubscriptionRegistry } from '../events/subscription.registry';

/**
 * The one path that changes a capture's status after its first answer, whoever asks (a webhook,
 * the reconciler, an operator): the store checks the move and writes the history row with its
 * actor, the next check and the event, in one transaction.
 */
@Injectable()
export class CaptureStatusService {
  constructor(
    @Inject(CAPTURE_STORE) private readonly captures: CaptureStore,
    @Inject(CheckPolicy) private readonly policy: CheckPolicy,
    @Inject(SubscriptionRegistry) private readonly subscriptions: SubscriptionRegistry,
  ) {}

  /** The change input for `account`: its schedule after `attempts` checks, a fresh event id. */
  change(account: ProviderAccount, meta: ChangeMeta, attempts = 0): StatusChangeInput {
    return {
      ...meta,
      schedule: this.policy.schedule(account, attempts),
      eventId: newEventId(),
      deliveries: this.subscriptions.targetsFor(account.id),
    };
  }

  apply(account: ProviderAccount, id: string, outcome: CaptureOutcome, meta: ChangeMeta): Promise<AppliedOutcome> {
    return this.captures.applyOutcome(id, outcome, this.change(account, meta));
  }
}
