import { type NoSlot, type Slot, ProviderSlots } from './provider-slots';

const held = (result: Slot | NoSlot | undefined): Slot => {
  if (result === undefined || typeof result === 'string') throw new Error(`expected a slot, got ${String(result)}`);
  return result;
};

describe('ProviderSlots', () => {
  it('grants up to the account slots and the caller cap at once, no more', () => {
    const slots = new ProviderSlots({ slots: 3, perCaller: 2 });
    expect(slots.tryAcquire('a')).toBeDefined();
    expect(slots.tryAcquire('a')).toBeDefined();
    expect(slots.tryAcquire('a')).toBeUndefined();
    expect(slots.tryAcquire('b')).toBeDefined();
    expect(slots.tryAcquire('c')).toBeUndefined();
    expect(slots.busy).toBe(3);
  });

  it('answers busy once the wait runs out, and the caller leaves the queue', async () => {
    const slots = new ProviderSlots({ slots: 1, perCaller: 1 });
    const first = held(slots.tryAcquire('a'));
    const started = Date.now();
    await expect(slots.acquire('b', 50)).resolves.toBe('busy');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    first.release();
    // Nobody is left waiting: the freed slot is there for the next caller at once.
    expect(slots.busy).toBe(0);
    expect(slots.tryAcquire('c')).toBeDefined();
  });

  it('hands a freed slot to a waiter within its wait', async () => {
    const slots = new ProviderSlots({ slots: 1, perCaller: 1 });
    const first = held(slots.tryAcquire('a'));
    const waiting = slots.acquire('b', 1_000);
    setTimeout(() => first.release(), 20);
    const second = held(await waiting);
    expect(slots.busy).toBe(1);
    second.release();
    expect(slots.busy).toBe(0);
  });

  it('serves callers round-robin: a caller with many waiting does not go before one with few', async () => {
    const slots = new ProviderSlots({ slots: 1, perCaller: 1 });
    const first = held(slots.tryAcquire('a'));
    const order: string[] = [];
    // Each waiter uses its slot and lets go of it as soon as it has one.
    const wait = (caller: string) =>
      slots.acquire(caller, 1_000).then((slot) => {
        order.push(caller);
        held(slot).release();
      });
    const all = [wait('a'), wait('a'), wait('a'), wait('b')];
    first.release();
    await Promise.all(all);
    expect(order).toEqual(['a', 'b', 'a', 'a']);
  });

  it('keeps room for another caller while one caller is at its cap', async () => {
    const slots = new ProviderSlots({ slots: 4, perCaller: 2 });
    const a = [held(slots.tryAcquire('a')), held(slots.tryAcquire('a'))];
    // a's third waits for one of its own, even though slots are free...
    const third = slots.acquire('a', 30);
    // ...and b is served at once.
    expect(slots.tryAcquire('b')).toBeDefined();
    await expect(third).resolves.toBe('busy');
    a[0]?.release();
    expect(slots.tryAcquire('a')).toBeDefined();
  });

  it('stops waiting when the request ends, and never hands the slot to it', async () => {
    const slots = new ProviderSlots({ slots: 1, perCaller: 1 });
    const first = held(slots.tryAcquire('a'));
    const gone = new AbortController();
    const waiting = slots.acquire('b', 1_000, gone.signal);
    gone.abort();
    await expect(waiting).resolves.toBe('cancelled');
    first.release();
    expect(slots.busy).toBe(0);
    await expect(slots.acquire('c', 10, AbortSignal.abort())).resolves.toBe('cancelled');
  });

  it('counts a slot released twice once', () => {
    const slots = new ProviderSlots({ slots: 2, perCaller: 2 });
    const one = held(slots.tryAcquire('a'));
    held(slots.tryAcquire('a'));
    one.release();
    one.release();
    expect(slots.busy).toBe(1);
  });

  it('holds a caller with its own smaller cap (the reconciler) to that cap', () => {
    const slots = new ProviderSlots({ slots: 8, perCaller: 8 });
    expect(slots.tryAcquire('reconciler', 1)).toBeDefined();
    expect(slots.tryAcquire('reconciler', 1)).toBeUndefined();
    expect(slots.tryAcquire('a')).toBeDefined();
  });
});
