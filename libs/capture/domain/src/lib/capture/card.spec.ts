import fc from 'fast-check';
import { containsCardNumber, findCardNumbers, redactCardNumbers } from './card';

// Test numbers of the networks, 13 to 19 digits.
const CARDS = [
  '4111111111111111',
  '5200000000001005',
  '378282246310005',
  '6011111111111117',
  '4222222222222',
  '3530111333300000',
  '6200000000000005',
  '2223003122003222',
  '4000000000000000006',
];

function withLuhnDigit(body: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

// A random valid card number: a network's first digit, 13 to 19 digits, a Luhn check digit.
const cardNumber = fc
  .tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 13, max: 19 }))
  .chain(([first, length]) =>
    fc
      .string({ unit: fc.constantFrom(...'0123456789'), minLength: length - 2, maxLength: length - 2 })
      .map((rest) => withLuhnDigit(`${first}${rest}`)),
  );

// Written as people type it: one separator style, in groups of random sizes.
const written = fc
  .tuple(
    cardNumber,
    fc.constantFrom('', ' ', '  ', '-', '.', '\u00a0'),
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
  )
  .map(([digits, separator, sizes]) => {
    const groups: string[] = [];
    let at = 0;
    for (let i = 0; at < digits.length; i++) {
      const size = sizes[i % sizes.length]!;
      groups.push(digits.slice(at, at + size));
      at += size;
    }
    return groups.join(separator);
  });

describe('card numbers in text', () => {
  test.each([
    ['followed by an expiry', 'card 4111111111111111 12/28 ok', 'card 411111******1111 12/28 ok'],
    ['followed by a CVC', 'pan 5200000000001005 123', 'pan 520000******1005 123'],
    ['glued to letters', 'PAN5200000000001005', 'PAN520000******1005'],
    ['after an underscore', 'card_5200000000001005_x', 'card_520000******1005_x'],
    ['with dots', '4111.1111.1111.1111', '411111******1111'],
    ['with double spaces', '4111  1111  1111  1111', '411111******1111'],
    ['with dashes', 'card 4111-1111-1111-1111', 'card 411111******1111'],
    ['with spaces', 'card 5200 0000 0000 1005 ok', 'card 520000******1005 ok'],
    ['an Amex', '3782 822463 10005', '378282******0005'],
  ])('one %s is redacted', (_name, text, expected) => {
    expect(redactCardNumbers(text)).toBe(expected);
  });

  test.each([
    ['a date and an amount', 'paid 2026-11-21 100.00'],
    ['an epoch in milliseconds', '1763734211123'],
    ['a number failing Luhn', '4111111111111112'],
    ['short numbers', 'order 123456 ref 9876'],
    ['an IP address and a version', '10.0.0.1 v1.2.3'],
  ])('%s is no card number', (_name, text) => {
    expect(findCardNumbers(text)).toEqual([]);
    expect(redactCardNumbers(text)).toBe(text);
  });

  test('each known test number is found', () => {
    for (const card of CARDS) expect(findCardNumbers(`x${card}y`)).toEqual([{ start: 1, end: card.length + 1, digits: card }]);
  });

  test('property: a card number planted in random text, written any way, is found and none is left once redacted', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        written,
        fc.string({ maxLength: 60 }),
        fc.constantFrom('', ' ', '_', 'a', '1', '12 '),
        (before, card, after, glue) => {
          const text = `${before}${glue}${card}${glue}${after}`;
          expect(containsCardNumber(text)).toBe(true);
          const redacted = redactCardNumbers(text);
          expect(findCardNumbers(redacted)).toEqual([]);
          expect(redacted).not.toContain(card);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('property: random text with digits, once redacted, holds no card number', () => {
    const digitsAndSeparators = fc.string({ unit: fc.constantFrom(...'0123456789 -.a'), maxLength: 200 });
    fc.assert(
      fc.property(digitsAndSeparators, (text) => {
        expect(findCardNumbers(redactCardNumbers(text))).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });
});
