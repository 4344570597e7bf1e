import fc from 'fast-check';
import { luhnCheckDigit, plantedCard, writtenCard } from '../../testing/card-shapes';
import { CARD_NUMBER_MAX_SEPARATOR_RUN, containsCardNumber, findCardNumbers, maskCard, redactCardNumbers } from './card';

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

// An oracle written apart from the finder: digits joined by at most five characters that are not
// letters or numbers, and every 13 to 19 digit window of them that passes Luhn (any first digit).
function luhnWindows(text: string): string[] {
  const runs = text.split(/[\p{L}\p{M}]|[^\p{L}\p{M}\p{N}]{6,}/u).map((run) => run.replace(/[^0-9]/g, ''));
  const found: string[] = [];
  for (const digits of runs) {
    for (let start = 0; start + 13 <= digits.length; start++) {
      for (let end = start + 13; end <= Math.min(start + 19, digits.length); end++) {
        const window = digits.slice(start, end);
        if (luhnCheckDigit(window.slice(0, -1)) === window.slice(-1)) found.push(window);
      }
    }
  }
  return found;
}

// The text with every separator the finder skips removed: the digits a reader would join.
const joined = (text: string) => text.replace(/[^\p{L}\p{M}\p{N}*]/gu, '');

describe('card numbers in text', () => {
  test.each([
    ['followed by an expiry, masked with it', 'card 4111111111111111 12/28 ok', 'card 411111******1111 **/** ok'],
    ['followed by a CVC, masked with it', 'pan 5200000000001005 123', 'pan 520000******1005 ***'],
    ['glued to letters', 'PAN5200000000001005', 'PAN520000******1005'],
    ['after an underscore', 'card_5200000000001005_x', 'card_520000******1005_x'],
    ['with dots', '4111.1111.1111.1111', '411111******1111'],
    ['with double spaces', '4111  1111  1111  1111', '411111******1111'],
    ['with dashes', 'card 4111-1111-1111-1111', 'card 411111******1111'],
    ['with spaces', 'card 5200 0000 0000 1005 ok', 'card 520000******1005 ok'],
    ['an Amex', '3782 822463 10005', '378282******0005'],
    // The shapes the security review found missed (issue #23).
    ['split by line feeds', 'card\n4111\n1111\n1111\n1111', 'card\n411111******1111'],
    ['split by tabs', '4111\t1111\t1111\t1111', '411111******1111'],
    ['split by CRLF', '4111\r\n1111\r\n1111\r\n1111', '411111******1111'],
    ['with mixed separators', '5200 0000-0000 1005', '520000******1005'],
    ['with " - "', '4111 - 1111 - 1111 - 1111', '411111******1111'],
    ['with three spaces', '4111   1111   1111   1111', '411111******1111'],
    ['with slashes', '4111/1111/1111/1111', '411111******1111'],
    ['with commas', '4111,1111,1111,1111', '411111******1111'],
    ['with underscores', '4111_1111_1111_1111', '411111******1111'],
    ['with thin spaces (U+2009)', '4111\u20091111\u20091111\u20091111', '411111******1111'],
    ['with narrow no-break spaces (U+202F)', '4111\u202f1111\u202f1111\u202f1111', '411111******1111'],
    ['with a zero-width space inside the digits', '411111\u200b1111111111', '411111******1111'],
    ['with a soft hyphen inside the digits', '4111111111\u00ad111111', '411111******1111'],
    ['in quoted groups', '"4111", "1111", "1111", "1111"', '"411111******1111"'],
  ])('one %s is found and redacted', (_name, text, expected) => {
    expect(containsCardNumber(text)).toBe(true);
    expect(redactCardNumbers(text)).toBe(expected);
  });

  test.each([
    ['a date and an amount', 'paid 2026-11-21 100.00'],
    ['a date, a time and an amount', 'Invoice 48741, 2026-11-21 14:32:05.123, total 40555.45'],
    ['an epoch in milliseconds', '1763734211123'],
    ['a number failing Luhn', '4111111111111112'],
    ['short numbers', 'order 123456 ref 9876'],
    ['an IP address and a version', '10.0.0.1 v1.2.3'],
    [
      'a Luhn-valid number no network issues (first digits 1, 7, 8, 9, 20, 21, 31 to 33)',
      '1111111111111117 7000000000000009 2000000000000009',
    ],
    ['numbers further apart than the separator bound', `4111${' '.repeat(CARD_NUMBER_MAX_SEPARATOR_RUN + 1)}111111111111`],
    // A grouped number is taken whole, from the start of a group to the end of one: 17 digits in
    // groups 5-4-4-4 are not the card inside them (a number glued to letters, or unbroken, is).
    ['a digit typed against a grouped number', '14111 1111 1111 1111'],
  ])('%s is no card number', (_name, text) => {
    expect(findCardNumbers(text)).toEqual([]);
    expect(redactCardNumbers(text)).toBe(text);
  });

  test('each known test number is found, with where it is', () => {
    for (const card of CARDS) expect(findCardNumbers(`x${card}y`)).toEqual([{ start: 1, end: card.length + 1, digits: card }]);
    expect(findCardNumbers('a 4111-1111 1111-1111 b')).toEqual([{ start: 2, end: 21, digits: '4111111111111111' }]);
  });

  test('an unbroken run longer than a card is searched window by window; matches never overlap', () => {
    expect(findCardNumbers('041111111111111111')).toEqual([{ start: 1, end: 17, digits: '4111111111111111' }]);
    const two = findCardNumbers('41111111111111115200000000001005');
    expect(two.map((m) => m.digits)).toEqual(['4111111111111111', '5200000000001005']);
    const [first, second] = two;
    expect(first?.end).toBeLessThanOrEqual(second?.start ?? -1);
  });

  describe('in JSON text (a serialised log line)', () => {
    test.each([
      '4111\n1111\n1111\n1111',
      '4111\t1111\r\n1111 1111',
      '4111-1111 1111-1111',
      '4111\u200b1111\u00ad1111"1111',
      '4111\\1111/1111/1111',
    ])('%j inside a JSON string is found and redacted, and the line stays JSON', (card) => {
      const line = JSON.stringify({ message: 'provider said', detail: `card ${card} declined` });
      expect(findCardNumbers(line, { json: true })).toHaveLength(1);
      const redacted = redactCardNumbers(line, { json: true });
      expect(JSON.parse(redacted)).toEqual({ message: 'provider said', detail: 'card 411111******1111 declined' });
    });

    test("an escape's hex digits are not the text's: `\\u4111` and 12 ones make no card", () => {
      expect(findCardNumbers('"\\u4111111111111111"')).toHaveLength(1);
      expect(findCardNumbers('"\\u4111111111111111"', { json: true })).toEqual([]);
    });
  });

  test('property: a card number planted in random text, written any way, is found; once redacted no Luhn-valid run and no full number is left', () => {
    fc.assert(
      fc.property(plantedCard(), ({ text, pan, start, end }) => {
        const matches = findCardNumbers(text);
        expect(matches.some((m) => m.start < end && m.end > start)).toBe(true);
        const redacted = redactCardNumbers(text);
        expect(findCardNumbers(redacted)).toEqual([]);
        expect(luhnWindows(redacted)).toEqual([]);
        expect(joined(redacted)).not.toContain(pan);
      }),
      { numRuns: 3_000 },
    );
  });

  test('for identifiers (`whole`), a planted card is still found; a long numeric reference with a card-like stretch inside is not', () => {
    fc.assert(
      fc.property(plantedCard(), ({ text, start, end }) => {
        expect(findCardNumbers(text, { whole: true }).some((m) => m.start < end && m.end > start)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
    // An Adyen-like 16-digit pspReference and an 18-digit one holding 4111 1111 1111 1111 at position 2.
    expect(containsCardNumber('884111111111111111')).toBe(true);
    expect(containsCardNumber('884111111111111111', { whole: true })).toBe(false);
    expect(containsCardNumber('4111111111111111', { whole: true })).toBe(true);
    expect(containsCardNumber('pi_4111-1111 1111-1111', { whole: true })).toBe(true);
  });

  test('property: the same, inside a JSON string', () => {
    fc.assert(
      fc.property(plantedCard(), ({ text, pan }) => {
        const line = JSON.stringify({ detail: text });
        expect(containsCardNumber(line, { json: true })).toBe(true);
        const redacted = redactCardNumbers(line, { json: true });
        const detail = (JSON.parse(redacted) as { detail: string }).detail;
        expect(findCardNumbers(detail)).toEqual([]);
        expect(joined(detail)).not.toContain(pan);
      }),
      { numRuns: 2_000 },
    );
  });

  test('property: random digits and separators, once redacted, hold no card number, and redaction keeps the rest', () => {
    const unit = fc.constantFrom(...'0123456789 -.a/\n\u200b\u00a0*');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 300 }), (text) => {
        const redacted = redactCardNumbers(text);
        expect(findCardNumbers(redacted)).toEqual([]);
        // Nothing but digits changes outside the numbers found (their separators go with them).
        const found = findCardNumbers(text);
        if (found.length === 0) expect(redacted).toBe(text);
        expect(redacted.replace(/[0-9*]/g, '').length).toBeLessThanOrEqual(text.replace(/[0-9*]/g, '').length);
      }),
      { numRuns: 3_000 },
    );
  });

  test('linear in the text: 1 MB of the worst shapes takes a bounded multiple of a plain scan of it', () => {
    const MB = 1 << 20;
    const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    const plainScan = (text: string) => {
      let sum = 0;
      for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
      return sum;
    };
    const fastest = (run: () => unknown) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        run();
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const adversarial = {
      'digits with separator runs at the bound': fill('4 \u200b-\u200b '),
      'digits with separator runs one past it': fill('4 \u200b-\u200b  '),
      'digits with long separator runs': fill(`4${' \u200b'.repeat(500)}`),
      'one unbroken run of digits': fill('4111111111111111'),
      'one digit, one separator': fill('4 '),
      'JSON escapes between digits': fill('4\\u2009'),
    };
    const ratios = Object.entries(adversarial).map(([name, text]) => {
      const json = name.startsWith('JSON');
      return { name, ratio: fastest(() => redactCardNumbers(text, { json })) / fastest(() => plainScan(text)) };
    });
    if (process.env['CARD_FINDER_REPORT'])
      console.log(ratios.map(({ name, ratio }) => `${ratio.toFixed(0).padStart(4)} × ${name}`).join('\n'));
    // Linear stays within a few hundred plain scans; quadratic would take 100,000s on 1 MB.
    expect(ratios.filter(({ ratio }) => ratio >= 300)).toEqual([]);
  });
});

describe('maskCard', () => {
  test.each(['4111 1111 1111 1111', '4111-1111 1111-1111', '4111\n1111\t1111\u20091111', '4111\u200b1111\u00ad1111/1111'])(
    'accepts the separators the finder skips: %j',
    (pan) => {
      expect(maskCard(pan, 'visa')).toEqual({ brand: 'visa', bin: '411111', last4: '1111' });
    },
  );

  test('refuses what is not a card number', () => {
    expect(maskCard('4111 1111 x 1111 1111')).toBeUndefined();
    expect(maskCard('1234')).toBeUndefined();
  });

  test('property: any written card is masked to its first six and last four', () => {
    fc.assert(
      fc.property(writtenCard(), ({ pan, text }) => {
        expect(maskCard(text)).toEqual({ bin: pan.slice(0, 6), last4: pan.slice(-4) });
      }),
    );
  });
});
