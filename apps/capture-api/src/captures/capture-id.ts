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

/**
 * `cap_` + 26 characters: 48 bits of milliseconds then 80 random bits (the ULID layout), so ids sort
 * by creation time and serve as the list's keyset cursor.
 */
export function newCaptureId(now: number = Date.now()): string {
  const random = BigInt(`0x${randomBytes(10).toString('hex')}`);
  return `cap_${encode(BigInt(now), 10)}${encode(random, 16)}`;
}
