import type { AccountConfig } from '../config/config.schemas';

/** An account's slot settings with every default filled in. */
export interface SlotSettings {
  slots: number;
  perClient: number;
  waitMs: number;
  reconciler: number;
  /** What a refused client is told to wait: by then a slot held by a hanging call has timed out. */
  retryAfterSeconds: number;
}

/** The defaults: half the slots per client (two clients can never starve a third of all of them), a short wait. */
export function slotSettingsOf(account: Pick<AccountConfig, 'timeoutMs' | 'providerSlots'>): SlotSettings {
  const { slots, perClient, waitMs, reconciler } = account.providerSlots;
  return {
    slots,
    perClient: perClient ?? Math.ceil(slots / 2),
    waitMs: waitMs ?? Math.min(1_000, Math.floor(account.timeoutMs / 2)),
    reconciler: reconciler ?? Math.max(1, Math.floor(slots / 8)),
    retryAfterSeconds: Math.max(1, Math.ceil(account.timeoutMs / 1000)),
  };
}
