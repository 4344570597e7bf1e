import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: sorts like the number it encodes

// Plain numbers, not BigInt: every value here fits in 48 bits, well inside a double's 53, and the
// ids are made twice per capture on the hot path (the capture's, its event's).
function encode(value: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

// The 80 random bits are kept as two 40-bit halves, 8 characters each. Exported with timeSortedIds
// for the spec; the library's door (index.ts) exports only the id makers.
export const HALF = 2 ** 40;

// Random bytes drawn 4 KiB at a time: one call into the CSPRNG per 409 ids instead of one per id.
// Each byte is used once.
const pool = Buffer.alloc(4096);
let taken = pool.length;
function randomHalves(): [number, number] {
  if (taken + 10 > pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const at = taken;
  taken += 10;
  return [pool.readUIntBE(at, 5), pool.readUIntBE(at + 5, 5)];
}

// 26 characters: 48 bits of milliseconds then 80 random bits (the ULID layout), so ids sort by
// creation time and serve as keyset cursors. Within one millisecond a generator counts up from its
// last random part (ULID's monotonic mode): two events of one capture written in the same
// millisecond still list in the order they happened. Another time (an id for a past moment) draws
// afresh.
export function timeSortedIds(prefix: string, random: () => [number, number] = randomHalves): (now: number) => string {
  let lastMs = -1;
  let high = 0;
  let low = 0;
  return (now) => {
    checkMs(now);
    if (now === lastMs) {
      // +1 on the 80-bit number; past its largest value it wraps to 0, as a fixed width does.
      low += 1;
      if (low === HALF) {
        low = 0;
        high = (high + 1) % HALF;
      }
    } else {
      [high, low] = random();
    }
    lastMs = now;
    return `${prefix}_${encode(now, 10)}${encode(high, 8)}${encode(low, 8)}`;
  };
}

const captureIds = timeSortedIds('cap');
const eventIds = timeSortedIds('evt');

/** `cap_…`: a capture's id, sorting by creation time. */
export const newCaptureId = (now: number = Date.now()): string => captureIds(now);

/** `evt_…`: an event's id, sorting by the time of the change. */
export const newEventId = (now: number = Date.now()): string => eventIds(now);

/** The lowest possible capture id created at or after `ms`: a time window as an id range. */
export const captureIdFloor = (ms: number): string => `cap_${encode(checkMs(ms), 10)}`;

// A time that is not a whole, non-negative number of milliseconds within 48 bits has no id.
function checkMs(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`not a time for an id: ${ms}`);
  return ms;
}
