import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: sorts like the number it encodes

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

const RANDOM_MASK = (1n << 80n) - 1n;
const randomPart = () => BigInt(`0x${randomBytes(10).toString('hex')}`);

// 26 characters: 48 bits of milliseconds then 80 random bits (the ULID layout), so ids sort by
// creation time and serve as keyset cursors. Within one millisecond a generator counts up from its
// last random part (ULID's monotonic mode): two events of one capture written in the same
// millisecond still list in the order they happened. Another time (an id for a past moment) draws
// afresh.
function timeSortedIds(prefix: string): (now: number) => string {
  let lastMs = -1;
  let last = 0n;
  return (now) => {
    last = now === lastMs ? (last + 1n) & RANDOM_MASK : randomPart();
    lastMs = now;
    return `${prefix}_${encode(BigInt(now), 10)}${encode(last, 16)}`;
  };
}

const captureIds = timeSortedIds('cap');
const eventIds = timeSortedIds('evt');

/** `cap_…`: a capture's id, sorting by creation time. */
export const newCaptureId = (now: number = Date.now()): string => captureIds(now);

/** `evt_…`: an event's id, sorting by the time of the change. */
export const newEventId = (now: number = Date.now()): string => eventIds(now);

/** The lowest possible capture id created at or after `ms`: a time window as an id range. */
export const captureIdFloor = (ms: number): string => `cap_${encode(BigInt(ms), 10)}`;
