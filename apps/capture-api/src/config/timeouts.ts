import { type AppConfig, PROVIDER_GRACE_MS } from './config.schemas';

/** The longest a provider call can hold a request: the longest account timeout plus the grace for a plugin that ignores its abort. */
export function longestProviderCallMs(config: Pick<AppConfig, 'accounts'>): number {
  return Math.max(...config.accounts.map((account) => account.timeoutMs)) + PROVIDER_GRACE_MS;
}

// What a request does besides receiving its body and waiting on its provider: a few short statements.
const REQUEST_MARGIN_MS = 5_000;

/**
 * How long a shutdown waits for in-flight requests before giving up (exit 1): a request still being
 * received, then its provider call at its longest, then its writes. Derived, so a longer account
 * timeout never has its captures cut off by the deploy.
 */
export function shutdownDeadlineMs(config: Pick<AppConfig, 'accounts' | 'server'>): number {
  return config.server.requestTimeoutMs + longestProviderCallMs(config) + REQUEST_MARGIN_MS;
}

/** The timeouts given to Fastify and Node's HTTP server, so slow or stalled clients cannot hold connections. */
export interface HttpServerTimeouts {
  /** The whole request (headers and body) must arrive within this (Node's requestTimeout and headersTimeout). */
  requestTimeout: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeout: number;
  /** A socket with no traffic for this long is closed: longer than any wait on a provider, so only stalled readers and writers are cut. */
  connectionTimeout: number;
  /** How often Node looks for requests past their timeout. */
  connectionsCheckingInterval: number;
}

export function httpServerTimeouts(config: Pick<AppConfig, 'accounts' | 'server'>): HttpServerTimeouts {
  const { requestTimeoutMs, keepAliveTimeoutMs } = config.server;
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionTimeout: longestProviderCallMs(config) + REQUEST_MARGIN_MS,
    // Node checks every 30 s by default: a stalled request would live up to 30 s past its timeout.
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(requestTimeoutMs / 4))),
  };
}

/**
 * What a delivery attempt does besides its POST: the claim before it and the write of its result
 * after (each a short statement), and room for replicas' clocks to differ (leases are compared on each
 * replica's own clock).
 */
export const DELIVERY_MARGIN_MS = 2_000;

/**
 * Where an event delivery attempt's timeout is wrong: an attempt must end before its lease does (past
 * it, another replica may send the same event at the same time) and before the shutdown deadline
 * (which would cut it off), each by the margin. Only where deliveries run: with delivery on and a
 * subscription to deliver to.
 */
export function deliveryTimeoutProblem(
  config: Pick<AppConfig, 'accounts' | 'server' | 'events' | 'clients'>,
): { path: string[]; message: string } | undefined {
  const { delivery } = config.events;
  if (!delivery.enabled || !config.clients.some((client) => client.subscriptions.length > 0)) return undefined;
  const path = ['events', 'delivery', 'timeoutMs'];
  const byLease = delivery.leaseSeconds * 1000 - DELIVERY_MARGIN_MS;
  if (delivery.timeoutMs > byLease) {
    return { path, message: `must be at most ${byLease} ms: events.delivery.leaseSeconds less ${DELIVERY_MARGIN_MS} ms` };
  }
  const byShutdown = shutdownDeadlineMs(config) - DELIVERY_MARGIN_MS;
  if (delivery.timeoutMs > byShutdown) {
    const deadline = `server.requestTimeoutMs + the longest account timeout + ${PROVIDER_GRACE_MS + REQUEST_MARGIN_MS} ms`;
    return { path, message: `must be at most ${byShutdown} ms: the shutdown deadline (${deadline}) less ${DELIVERY_MARGIN_MS} ms` };
  }
  return undefined;
}
