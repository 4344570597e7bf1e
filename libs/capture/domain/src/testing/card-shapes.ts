import fc from 'fast-check';

// Test-only: card numbers of the major networks, written every way a person or a copy-paste
// writes them, for property tests that plant them in text (the domain's, the service's, the fuzz run's).

/** The Luhn check digit that makes `body` + it a valid number. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = body.charCodeAt(body.length - 1 - i) - 48;
    // The check digit will be the rightmost: the body's last digit is doubled.
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

interface Network {
  name: string;
  /** Inclusive ranges of leading digits, such as [2221, 2720]. */
  prefixes: ReadonlyArray<readonly [number, number]>;
  lengths: readonly number[];
}

export const CARD_NETWORKS: readonly Network[] = [
  { name: 'visa', prefixes: [[4, 4]], lengths: [13, 16, 19] },
  {
    name: 'mastercard',
    prefixes: [
      [51, 55],
      [2221, 2720],
    ],
    lengths: [16],
  },
  {
    name: 'amex',
    prefixes: [
      [34, 34],
      [37, 37],
    ],
    lengths: [15],
  },
  {
    name: 'discover',
    prefixes: [
      [6011, 6011],
      [65, 65],
    ],
    lengths: [16, 19],
  },
  { name: 'jcb', prefixes: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  {
    name: 'diners',
    prefixes: [
      [36, 36],
      [300, 305],
    ],
    lengths: [14, 16],
  },
  { name: 'unionpay', prefixes: [[62, 62]], lengths: [16, 17, 18, 19] },
  {
    name: 'maestro',
    prefixes: [
      [5018, 5018],
      [6304, 6304],
      [6759, 6759],
    ],
    lengths: [13, 15, 16, 19],
  },
  { name: 'mir', prefixes: [[2200, 2204]], lengths: [16] },
];

const digitString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

/** A valid card number (Luhn) of a random network and one of its lengths, 13 to 19 digits. */
export const cardNumber: fc.Arbitrary<string> = fc
  .constantFrom(...CARD_NETWORKS)
  .chain((network) => fc.tuple(fc.constantFrom(...network.prefixes), fc.constantFrom(...network.lengths)))
  .chain(([[from, to], length]) =>
    fc.integer({ min: from, max: to }).chain((prefix) => digitString(length - String(prefix).length - 1).map((rest) => `${prefix}${rest}`)),
  )
  .map((body) => body + luhnCheckDigit(body));

/**
 * Separators by kind: what a keyboard, a form, a PDF or a chat app puts between digit groups. Every
 * one, and any mix of up to three, is at most 5 characters: the finder's bound.
 */
export const CARD_SEPARATORS = {
  none: [''],
  spaces: [' ', '  ', '   '],
  punctuation: ['-', '.', '/', ',', '_', ' - ', ' / ', ', ', '–', '·', ':', '"', "'"],
  lineBreaks: ['\n', '\r\n', '\t', ' \n', '\n\t', '\u2028', '\u2029', '\r'],
  unicodeSpaces: ['\u00a0', '\u2009', '\u202f', '\u2007', '\u3000', '\u205f'],
  invisible: ['\u200b', '\u00ad', '\u200c', '\u200d', '\u2060', '\ufeff'],
} as const;

const ALL_SEPARATORS = Object.values(CARD_SEPARATORS).flat();

/** One gap between two digit groups: one separator, or a mix of up to three, never over 5 characters. */
export const separator: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...ALL_SEPARATORS), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(''))
  .filter((gap) => [...gap].length <= 5);

export interface WrittenCard {
  /** The card number's digits. */
  pan: string;
  /** As written: groups of random sizes, one separator style or a mix. */
  text: string;
}

function group(pan: string, sizes: readonly number[]): string[] {
  const groups: string[] = [];
  for (let at = 0, i = 0; at < pan.length; i++) {
    const size = sizes[i % sizes.length] ?? pan.length;
    groups.push(pan.slice(at, at + size));
    at += size;
  }
  return groups;
}

/**
 * A card number written as people write it: in groups of random sizes (4-4-4-4 often), joined by
 * one separator style or by a different one in each gap. `maxLength` keeps it short enough for a
 * field (a 40-character metadata key).
 */
export function writtenCard(maxLength = 200): fc.Arbitrary<WrittenCard> {
  const sizes = fc.oneof(
    fc.constant([4]),
    fc.constant([4, 6, 5]),
    fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
  );
  // One style for the whole number, or a different separator in each of its (at most 18) gaps.
  const gaps = fc.tuple(fc.boolean(), fc.array(separator, { minLength: 18, maxLength: 18 }));
  return fc
    .tuple(cardNumber, sizes, gaps)
    .map(([pan, groupSizes, [oneStyle, list]]) => ({
      pan,
      text: group(pan, groupSizes).reduce((written, digits, i) => written + (list[oneStyle ? 0 : i - 1] ?? '') + digits),
    }))
    .filter((card) => card.text.length <= maxLength);
}

export interface PlantedCard extends WrittenCard {
  /** Where the written card sits in `text`. */
  start: number;
  end: number;
  written: string;
}

/**
 * Random text with a written card in it: before and after it, printable text, glued to it or not
 * (letters, an underscore, a label, an expiry or CVC after it). Never a digit right against it: that
 * makes another, longer number (see `findCardNumbers`).
 */
export function plantedCard(maxLength = 200): fc.Arbitrary<PlantedCard> {
  const around = fc.string({ maxLength: Math.min(40, Math.floor(maxLength / 4)) });
  const before = fc.constantFrom('', ' ', '_', 'PAN', 'card: ', 'x', '12 ', 'ref 12345, ');
  const after = fc.constantFrom('', ' ', '_', 'x', ' 12/28', ' 123', 'exp', '\n2026-11-21');
  return fc
    .tuple(around, before, writtenCard(maxLength), after, around)
    .map(([head, glueBefore, card, glueAfter, tail]) => {
      const start = head.length + glueBefore.length;
      return {
        pan: card.pan,
        written: card.text,
        start,
        end: start + card.text.length,
        text: `${head}${glueBefore}${card.text}${glueAfter}${tail}`,
      };
    })
    .filter(
      (planted) =>
        planted.text.length <= maxLength &&
        !/\d/.test(planted.text[planted.start - 1] ?? '') &&
        !/\d/.test(planted.text[planted.end] ?? ''),
    );
}
