import type { MaskedCard } from './capture.schemas';

/**
 * The only way a full card number enters the model: reduced at once to brand, first six and last
 * four, so that nothing downstream can store or log it. Returns undefined for what is not a PAN.
 */
export function maskCard(pan: string | undefined, brand?: string): MaskedCard | undefined {
  const digits = pan?.replace(/[\s-]/g, '') ?? '';
  if (!/^\d{12,19}$/.test(digits)) return undefined;
  return { ...(brand ? { brand } : {}), bin: digits.slice(0, 6), last4: digits.slice(-4) };
}

/** Where a card number was found in a text: `text.slice(start, end)` is it, separators included. */
export interface CardNumberMatch {
  start: number;
  end: number;
  /** The number's digits, without separators. */
  digits: string;
}

export const CARD_NUMBER_MIN_DIGITS = 13;
export const CARD_NUMBER_MAX_DIGITS = 19;

// A run of ASCII digits, found by look-around (so one glued to letters, `PAN4111…` or `card_4111…`,
// is found too), whose digits may be split by the separators people type: one or two spaces (or
// no-break spaces), a dash, a dot. Up to two separator characters between two digits.
const DIGIT_RUN = /(?<!\d)\d(?:[ \u00a0.-]{0,2}\d)*(?!\d)/g;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Every card number in a text: each 13 to 19 digit window of a digit run that starts like a card
 * of the major networks (2 to 6: Mastercard 2-series, Amex, Diners and JCB, Visa, Mastercard,
 * Discover, UnionPay and Maestro), writes its separators one way (`4111 1111…`, `4111-1111…`,
 * `4111.1111…`, `4111  1111…`, or none), and passes Luhn. A digit run longer than a card (a card
 * followed by an expiry or a CVC, `4111111111111111 123`) is searched window by window, so digits
 * around a number never hide it. Matches never overlap; each is the longest at its start.
 */
export function findCardNumbers(text: string): CardNumberMatch[] {
  const found: CardNumberMatch[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const chunk = run[0];
    if (chunk.length < CARD_NUMBER_MIN_DIGITS) continue;
    // Each digit's offset in the text, and the separator written just before it.
    const offsets: number[] = [];
    const separators: string[] = [];
    let separator = '';
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code >= 48 && code <= 57) {
        offsets.push(run.index + i);
        separators.push(separator);
        separator = '';
      } else separator += chunk[i];
    }
    const digits = offsets.map((offset) => text[offset]).join('');
    let start = 0;
    while (start <= digits.length - CARD_NUMBER_MIN_DIGITS) {
      const length = longestCardAt(digits, separators, start);
      if (length === 0) {
        start++;
        continue;
      }
      found.push({ start: offsets[start]!, end: offsets[start + length - 1]! + 1, digits: digits.slice(start, start + length) });
      start += length;
    }
  }
  return found;
}

function longestCardAt(digits: string, separators: readonly string[], start: number): number {
  const first = digits.charCodeAt(start) - 48;
  if (first < 2 || first > 6) return 0;
  const longest = Math.min(CARD_NUMBER_MAX_DIGITS, digits.length - start);
  for (let length = longest; length >= CARD_NUMBER_MIN_DIGITS; length--) {
    if (consistentSeparators(separators, start, length) && passesLuhn(digits.slice(start, start + length))) return length;
  }
  return 0;
}

// Within one number, every separator written is the same (empty ones aside): `2026-11-21 100.00`
// is a date and an amount, not a card.
function consistentSeparators(separators: readonly string[], start: number, length: number): boolean {
  let seen = '';
  for (let i = start + 1; i < start + length; i++) {
    const separator = separators[i]!;
    if (separator === '') continue;
    if (seen === '') seen = separator;
    else if (separator !== seen) return false;
  }
  return true;
}

/** True if the text holds a card number (see `findCardNumbers`). */
export function containsCardNumber(text: string): boolean {
  return findCardNumbers(text).length > 0;
}

/**
 * The text with every card number replaced by its first six and last four digits
 * (`411111******1111`). Repeated until none is left, so the digits kept can never join their
 * neighbours into a new one. Redact before cutting a text short, never after.
 */
export function redactCardNumbers(text: string): string {
  let result = text;
  for (let matches = findCardNumbers(result); matches.length > 0; matches = findCardNumbers(result)) {
    let next = '';
    let at = 0;
    for (const match of matches) {
      next += `${result.slice(at, match.start)}${match.digits.slice(0, 6)}******${match.digits.slice(-4)}`;
      at = match.end;
    }
    result = next + result.slice(at);
  }
  return result;
}
