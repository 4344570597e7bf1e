/**
 * What start-up registered. `shutdown` flushes the spans still queued (waiting at most
 * `FLUSH_LIMIT_MS`) and unregisters everything; it never throws: it resolves `false` when the spans
 * could not all be sent (the collector is down or slow), which must not fail the service's shutdown.
 */
export interface Tracing {
  enabled: boolean;
  shutdown(): Promise<boolean>;
}

export const FLUSH_LIMIT_MS = 5_000;
