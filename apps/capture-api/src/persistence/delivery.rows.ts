import type { DeliveryState } from './capture-events.store';

export interface DeliveryRow {
  subscription_id: string;
  state: DeliveryState['state'];
  attempts: number;
  next_attempt_at: Date | string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** A delivery row as the API shows it, absent fields left out. */
export function deliveryState(r: DeliveryRow): DeliveryState {
  const state: DeliveryState = {
    subscriptionId: r.subscription_id,
    state: r.state,
    attempts: Number(r.attempts),
    ...(r.state === 'pending' && r.next_attempt_at !== null ? { nextAttemptAt: iso(r.next_attempt_at) } : {}),
    ...(r.last_status !== null ? { lastStatus: Number(r.last_status) } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.delivered_at !== null ? { deliveredAt: iso(r.delivered_at) } : {}),
  };
  return state;
}
