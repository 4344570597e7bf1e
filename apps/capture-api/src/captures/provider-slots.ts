/** A held slot: the right to have one call in flight at the account's provider. Release it once, when the call is over. */
export interface Slot {
  release(): void;
}

/** Why no slot was granted: none came free within the wait, or the caller gave up (its request ended). */
export type NoSlot = 'busy' | 'cancelled';

export interface SlotLimits {
  /** Calls in flight at once, over all callers: at most the HTTP pool's connections, so a slot is a socket. */
  slots: number;
  /** Slots one caller may hold at once, so that one client cannot take them all. */
  perCaller: number;
}

interface Waiter {
  caller: string;
  cap: number;
  grant(slot: Slot): void;
}

/**
 * One account's slots, shared fairly: each caller has its own queue, queues are served round-robin
 * as slots come free, and no caller holds more than its cap. Pure bookkeeping: no I/O, no clock
 * beyond the wait's timer, so it is tested alone.
 */
export class ProviderSlots {
  private inUse = 0;
  private readonly held = new Map<string, number>();
  private readonly queues = new Map<string, Waiter[]>();
  // Callers in the order they are served; the next to be served is moved to the back when served.
  private readonly turn: string[] = [];

  constructor(private readonly limits: SlotLimits) {}

  /** How many slots are held now (for metrics and tests). */
  get busy(): number {
    return this.inUse;
  }

  /** A slot now, or none: for work that must not wait (the reconciler's looks). */
  tryAcquire(caller: string, cap = this.limits.perCaller): Slot | undefined {
    if (!this.canHold(caller, cap) || this.waiting(caller)) return undefined;
    return this.take(caller);
  }

  /**
   * A slot within `waitMs`, or `busy` past it, or `cancelled` as soon as `signal` aborts. A caller
   * that stops waiting leaves its queue: a slot is never handed to a request that is gone.
   */
  acquire(caller: string, waitMs: number, signal?: AbortSignal, cap = this.limits.perCaller): Promise<Slot | NoSlot> {
    if (signal?.aborted) return Promise.resolve('cancelled');
    const now = this.tryAcquire(caller, cap);
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (result: Slot | NoSlot) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const waiter: Waiter = { caller, cap, grant: done };
      const leave = (why: NoSlot) => {
        this.remove(waiter);
        done(why);
      };
      const onAbort = () => leave('cancelled');
      const timer = setTimeout(() => leave('busy'), waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(waiter);
    });
  }

  private canHold(caller: string, cap: number): boolean {
    return this.inUse < this.limits.slots && (this.held.get(caller) ?? 0) < cap;
  }

  private waiting(caller: string): boolean {
    return (this.queues.get(caller)?.length ?? 0) > 0;
  }

  private take(caller: string): Slot {
    this.inUse += 1;
    this.held.set(caller, (this.held.get(caller) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inUse -= 1;
        const left = (this.held.get(caller) ?? 1) - 1;
        if (left === 0) this.held.delete(caller);
        else this.held.set(caller, left);
        this.serve();
      },
    };
  }

  private enqueue(waiter: Waiter): void {
    const queue = this.queues.get(waiter.caller);
    if (queue) queue.push(waiter);
    else {
      this.queues.set(waiter.caller, [waiter]);
      this.turn.push(waiter.caller);
    }
  }

  private remove(waiter: Waiter): void {
    const queue = this.queues.get(waiter.caller);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.forget(waiter.caller);
  }

  private forget(caller: string): void {
    this.queues.delete(caller);
    const at = this.turn.indexOf(caller);
    if (at >= 0) this.turn.splice(at, 1);
  }

  // Round-robin: the first caller in turn that may hold one more gets the head of its queue, then goes last.
  private serve(): void {
    while (this.inUse < this.limits.slots) {
      const caller = this.turn.find((each) => {
        const head = this.queues.get(each)?.[0];
        return head !== undefined && (this.held.get(each) ?? 0) < head.cap;
      });
      if (caller === undefined) return;
      const queue = this.queues.get(caller) ?? [];
      const waiter = queue.shift();
      this.turn.splice(this.turn.indexOf(caller), 1);
      if (queue.length === 0) this.queues.delete(caller);
      else this.turn.push(caller);
      if (waiter) waiter.grant(this.take(caller));
    }
  }
}
