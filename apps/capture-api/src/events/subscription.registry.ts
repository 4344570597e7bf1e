import { Inject, Injectable } from '@nestjs/common';
import { CAPTURE_EVENT_TYPES, type CaptureEventType } from '@capture-gateway/domain';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import type { DeliveryTarget } from '@capture-gateway/domain';

/** One endpoint of one client, as configured. */
export interface Subscription {
  /** `<client id>/<subscription id>`: unique across clients, as deliveries store it. */
  id: string;
  clientId: string;
  url: string;
  /** Each active secret signs: one `v1=` per secret during a rotation. */
  secrets: readonly string[];
  types: readonly CaptureEventType[];
  /** The accounts whose events it takes: the client's, or the subset it names. */
  accounts: ReadonlySet<string>;
  maxConcurrent: number;
}

/** The configured subscriptions, and which of them an account's events may go to. */
@Injectable()
export class SubscriptionRegistry {
  readonly all: readonly Subscription[];
  private readonly byAccount = new Map<string, DeliveryTarget[]>();

  constructor(@Inject(APP_CONFIG) loaded: LoadedConfig) {
    const allAccounts = loaded.config.accounts.map((a) => a.id);
    this.all = loaded.config.clients.flatMap((client) =>
      client.subscriptions.map((s) => ({
        id: `${client.id}/${s.id}`,
        clientId: client.id,
        url: s.url,
        secrets: s.secrets,
        types: s.types ?? CAPTURE_EVENT_TYPES,
        accounts: new Set(s.accounts ?? (client.accounts === '*' ? allAccounts : client.accounts)),
        maxConcurrent: s.maxConcurrent,
      })),
    );
    for (const account of allAccounts) {
      const targets = this.all
        .filter((s) => s.accounts.has(account))
        .map((s) => ({ subscriptionId: s.id, clientId: s.clientId, types: s.types }));
      this.byAccount.set(account, targets);
    }
  }

  /** Subscriptions an event of `account` may go to; the store keeps those of the capture's own client. */
  targetsFor(account: string): readonly DeliveryTarget[] {
    return this.byAccount.get(account) ?? [];
  }

  find(id: string): Subscription | undefined {
    return this.all.find((s) => s.id === id);
  }

  ofClient(clientId: string): Subscription[] {
    return this.all.filter((s) => s.clientId === clientId);
  }
}
