import { Inject, Injectable } from '@nestjs/common';
import { ConfigReloader } from '../config/config.reloader';
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

interface Snapshot {
  all: readonly Subscription[];
  byAccount: ReadonlyMap<string, readonly DeliveryTarget[]>;
  /** Clients configured `events: subscriptions`: nobody polls their events. */
  unpolled: ReadonlySet<string>;
}

/**
 * The configured subscriptions, and which of them an account's events may go to. A config reload
 * swaps them all at once (`prepare`); listeners (the delivery loops) hear of each swap.
 */
@Injectable()
export class SubscriptionRegistry {
  private snapshot: Snapshot;
  private readonly listeners: Array<(all: readonly Subscription[]) => void> = [];

  constructor(@Inject(APP_CONFIG) loaded: LoadedConfig, @Inject(ConfigReloader) reloader: ConfigReloader) {
    this.snapshot = snapshotOf(loaded);
    reloader.register((next) => this.prepare(next));
  }

  get all(): readonly Subscription[] {
    return this.snapshot.all;
  }

  /** Builds the next subscriptions from a reloaded config and returns the swap; nothing changes until it runs. */
  prepare(next: LoadedConfig): () => void {
    const snapshot = snapshotOf(next);
    return () => {
      this.snapshot = snapshot;
      for (const listener of this.listeners) listener(snapshot.all);
    };
  }

  /** Called after every swap with the subscriptions now in force. */
  onChange(listener: (all: readonly Subscription[]) => void): void {
    this.listeners.push(listener);
  }

  /** Subscriptions an event of `account` may go to; the store keeps those of the capture's own client. */
  targetsFor(account: string): readonly DeliveryTarget[] {
    return this.snapshot.byAccount.get(account) ?? [];
  }

  /** The clients whose events nobody polls (`events: subscriptions`): only the events a subscription takes are written. */
  get unpolled(): ReadonlySet<string> {
    return this.snapshot.unpolled;
  }

  find(id: string): Subscription | undefined {
    return this.snapshot.all.find((s) => s.id === id);
  }

  ofClient(clientId: string): Subscription[] {
    return this.snapshot.all.filter((s) => s.clientId === clientId);
  }
}

function snapshotOf(loaded: LoadedConfig): Snapshot {
  const allAccounts = loaded.config.accounts.map((a) => a.id);
  const all = loaded.config.clients.flatMap((client) =>
    client.subscriptions.map((s) =>
      Object.freeze({
        id: `${client.id}/${s.id}`,
        clientId: client.id,
        url: s.url,
        secrets: Object.freeze([...s.secrets]),
        types: s.types ?? CAPTURE_EVENT_TYPES,
        accounts: new Set(s.accounts ?? (client.accounts === '*' ? allAccounts : client.accounts)),
        maxConcurrent: s.maxConcurrent,
      }),
    ),
  );
  const byAccount = new Map<string, DeliveryTarget[]>();
  for (const account of allAccounts) {
    const targets = all.filter((s) => s.accounts.has(account)).map((s) => ({ subscriptionId: s.id, clientId: s.clientId, types: s.types }));
    byAccount.set(account, targets);
  }
  const unpolled = new Set(loaded.config.clients.filter((client) => client.events === 'subscriptions').map((client) => client.id));
  return { all: Object.freeze(all), byAccount, unpolled };
}
