/** How many failed authentications one caller may make in a window before being refused outright. */
export interface AuthFailureLimits {
  maxFailures: number;
  windowSeconds: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { maxFailures: 10, windowSeconds: 60 };

// A bound on remembered callers, so a flood of source addresses cannot grow memory without limit.
const MAX_TRACKED = 10_000;

/**
 * Counts failed API-key checks per source (client IP) in a fixed window. Only failures count, and
 * only unauthenticated requests are refused: a request with a good key is never slowed, even from a
 * source over its limit. In memory, per replica: N replicas allow N times the limit.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    private readonly limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the caller may try again, or 0 when it may try now. */
  retryAfterSeconds(caller: string): number {
    const entry = this.current(caller);
    if (!entry || entry.failures < this.limits.maxFailures) return 0;
    return Math.max(1, Math.ceil((entry.resetAt - this.now()) / 1000));
  }

  recordFailure(caller: string): void {
    const entry = this.current(caller);
    if (entry) {
      entry.failures++;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.evictExpired();
    const oldest = this.windows.keys().next();
    if (this.windows.size >= MAX_TRACKED && !oldest.done) this.windows.delete(oldest.value);
    this.windows.set(caller, { failures: 1, resetAt: this.now() + this.limits.windowSeconds * 1000 });
  }

  private current(caller: string) {
    const entry = this.windows.get(caller);
    if (entry && entry.resetAt <= this.now()) {
      this.windows.delete(caller);
      return undefined;
    }
    return entry;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [caller, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(caller);
  }
}
