import type { CaptureStore } from './captures.store';
import type { IdempotencyKeyStore } from './idempotency-keys.store';
import type { WebhookEventStore } from './webhook-events.store';

/** One backend's stores over one database, opened and migrated. */
export interface Storage {
  readonly kind: 'postgres' | 'embedded';
  readonly captures: CaptureStore;
  readonly idempotencyKeys: IdempotencyKeyStore;
  readonly webhookEvents: WebhookEventStore;
  /** Readiness: the database answers a query. */
  reachable(): Promise<boolean>;
  /** Readiness: migration files not yet applied (empty when the schema is current). */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export const STORAGE = Symbol('STORAGE');
export const CAPTURE_STORE = Symbol('CAPTURE_STORE');
export const IDEMPOTENCY_KEY_STORE = Symbol('IDEMPOTENCY_KEY_STORE');
export const WEBHOOK_EVENT_STORE = Symbol('WEBHOOK_EVENT_STORE');
