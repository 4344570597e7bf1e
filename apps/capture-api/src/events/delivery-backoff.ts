import type { LoadedConfig } from '../config/config.schemas';
import type { DeliveryNext } from '../persistence/event-deliveries.store';

type DeliverySettings = LoadedConfig['config']['events']['delivery'];

/**
 * After a failed attempt (the `attempt`-th): again after an exponential wait with full jitter (half
 * to one and a half of it, so a recovering receiver is not hit by every replica at once), capped;
 * given up once the event is older than `retryForHours`.
 */
export function afterFailure(
  settings: DeliverySettings,
  attempt: number,
  eventCreatedAt: string,
  now: Date,
  random = Math.random,
): DeliveryNext {
  const giveUpAt = Date.parse(eventCreatedAt) + settings.retryForHours * 3_600_000;
  const base = Math.min(settings.maxBackoffSeconds, settings.initialBackoffSeconds * 2 ** Math.max(0, attempt - 1)) * 1000;
  const next = now.getTime() + base * (0.5 + random());
  return next > giveUpAt ? { state: 'failed' } : { state: 'pending', nextAttemptAt: new Date(next) };
}
