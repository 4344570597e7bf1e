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

// 26 characters: 48 bits of milliseconds then 80 random bits (the ULID layout), so ids sort by
// creation time and serve as keyset cursors.
function timeSortedId(prefix: string, now: number): string {
  const random = BigInt(`0x${randomBytes(10).toString('hex')}`);
  return `${prefix}_${encode(BigInt(now), 10)}${encode(random, 16)}`;
}

/** `cap_…`: a capture's id, sorting by creation time. */
export const newCaptureId = (now: number = Date.now()): string => timeSortedId('cap', now);

/** `evt_…`: an event's id, sorting by the time of the change. */
export const newEventId = (now: number = Date.now()): string => timeSortedId('evt', now);

/** The lowest possible capture id created at or after `ms`: a time window as an id range. */
export const captureIdFloor = (ms: number): string => `cap_${encode(BigInt(ms), 10)}`;
