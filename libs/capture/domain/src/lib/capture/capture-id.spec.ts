import fc from 'fast-check';
import { captureIdFloor, HALF, newCaptureId, newEventId, timeSortedIds } from './capture-id';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// Reads an id back as numbers, independently of how it was made: the time and the 80 random bits.
function decode(id: string): { ms: bigint; random: bigint } {
  const digits = [...id.slice(4)].map((char) => BigInt(ALPHABET.indexOf(char)));
  expect(digits).toHaveLength(26);
  expect(digits.every((digit) => digit >= 0n)).toBe(true);
  const value = (from: number, to: number) => digits.slice(from, to).reduce((sum, digit) => sum * 32n + digit, 0n);
  return { ms: value(0, 10), random: value(10, 26) };
}

describe('time-sorted ids', () => {
  test('ids made in one millisecond sort in the order they were made', () => {
    const now = Date.UTC(2026, 11, 5, 12);
    for (const make of [newEventId, newCaptureId]) {
      const ids = Array.from({ length: 1_000 }, () => make(now));
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('an id encodes the time it was made for, so a time window is an id range', () => {
    const later = Date.UTC(2026, 11, 5, 13);
    newCaptureId(later);
    const earlier = newCaptureId(later - 60_000);
    expect(earlier >= captureIdFloor(later - 60_000)).toBe(true);
    expect(earlier < captureIdFloor(later - 59_999)).toBe(true);
  });

  test('the layout: prefix, 48 bits of time, 80 random bits; within a millisecond each id is the last plus one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.integer({ min: 0, max: HALF - 1 }),
        fc.integer({ min: 0, max: HALF - 1 }),
        (ms, high, low) => {
          const make = timeSortedIds('cap', () => [high, low]);
          const first = make(ms);
          expect(first).toMatch(/^cap_[0-9A-HJKMNP-TV-Z]{26}$/);
          expect(decode(first)).toEqual({ ms: BigInt(ms), random: (BigInt(high) << 40n) + BigInt(low) });
          const next = decode(make(ms));
          expect(next.random).toBe(((BigInt(high) << 40n) + BigInt(low) + 1n) % (1n << 80n));
        },
      ),
    );
  });

  test('counting up carries into the high half, and past the largest value wraps to zero', () => {
    const carry = timeSortedIds('evt', () => [7, HALF - 1]);
    carry(1);
    expect(decode(carry(1)).random).toBe(8n << 40n);
    const wrap = timeSortedIds('evt', () => [HALF - 1, HALF - 1]);
    wrap(1);
    expect(decode(wrap(1)).random).toBe(0n);
  });

  test('fresh random bits for every new millisecond, never reused', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => decode(newEventId(1_000 + i)).random);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a time that is not whole, negative or past 48 bits has no id', () => {
    for (const bad of [1.5, -1, 2 ** 48, Number.NaN]) {
      expect(() => newCaptureId(bad)).toThrow(RangeError);
      expect(() => captureIdFloor(bad)).toThrow(RangeError);
    }
  });
});
