import type { CaptureCheckStore } from './capture-checks.store';
import type { CaptureEventStore } from './capture-events.store';
import type { CaptureStore } from './captures.store';
import type { EventDeliveryStore } from './event-deliveries.store';
import type { IdempotencyKeyStore } from './idempotency-keys.store';
import type { OpsStore } from './ops.store';
import type { WebhookEventStore } from './webhook-events.store';

/** One backend's stores over one database, opened and migrated. */
export interface Storage {
  readonly kind: 'postgres' | 'embedded';
  readonly captures: CaptureStore;
  readonly checks: CaptureCheckStore;
  readonly events: CaptureEventStore;
  readonly deliveries: EventDeliveryStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly webhookEvents: WebhookEventStore;
  /** The operations page's reads. */
  readonly ops: OpsStore;
  /** Readiness: the database answers a query. */
  reachable(): Promise<boolean>;
  /** Readiness: migration files not yet applied (empty when the schema is current). */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export const STORAGE = Symbol('STORAGE');
export const CAPTURE_STORE = Symbol('CAPTURE_STORE');
export const CAPTURE_CHECK_STORE = Symbol('CAPTURE_CHECK_STORE');
export const CAPTURE_EVENT_STORE = Symbol('CAPTURE_EVENT_STORE');
export const EVENT_DELIVERY_STORE = Symbol('EVENT_DELIVERY_STORE');
export const IDEMPOTENCY_KEY_STORE = Symbol('IDEMPOTENCY_KEY_STORE');
export const WEBHOOK_EVENT_STORE = Symbol('WEBHOOK_EVENT_STORE');
export const OPS_STORE = Symbol('OPS_STORE');
