import { z } from 'zod';
import { containsCardNumber } from '../capture/card';

/**
 * Text the gateway stores or sends on: what PostgreSQL can hold (no NUL, valid UTF-16, so valid
 * UTF-8 once encoded) and nothing an ordinary field has a use for. Refused, with the field's path:
 * - C0 control characters (U+0000–U+001F) and DEL (U+007F), except tab, line feed and carriage
 *   return where `multiline` allows them (a description may be a few lines);
 * - C1 control characters (U+0080–U+009F);
 * - lone surrogates (`\ud800` without its pair): invalid Unicode, which PostgreSQL refuses.
 */
export interface SafeTextOptions {
  min?: number;
  max: number;
  /** Tab, line feed and carriage return allowed. */
  multiline?: boolean;
  /**
   * Text a client or an operator types: a card number in it is refused (`card_number_in_text`).
   * `'whole'` for a provider's reference: only a whole run of digits counts (see `CardNumberOptions`).
   */
  refuseCardNumbers?: boolean | 'whole';
  /** Leading and trailing whitespace dropped before the other checks (`min` counts what is left). */
  trim?: boolean;
}

// Control characters are what these patterns are for.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a text is not safe to store, or undefined. */
export function unsafeTextReason(text: string, multiline = false): string | undefined {
  const control = (multiline ? CONTROL_BUT_LINES : CONTROL).exec(text);
  if (control) return `must not contain the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone surrogate)';
  return undefined;
}

/** The issue parameter that turns a refusal into its own error code (see the service's zod-issue). */
export const CARD_NUMBER_IN_TEXT = { code: 'card_number_in_text' } as const;

export const CARD_NUMBER_MESSAGE = 'must not contain a card number: never send one to the gateway';

/** A string schema for text that is stored or sent on (see `SafeTextOptions`). */
export function safeText(options: SafeTextOptions): z.ZodString {
  let schema = z.string();
  if (options.trim) schema = schema.trim();
  if (options.min !== undefined) schema = schema.min(options.min);
  schema = schema.max(options.max);
  if (options.refuseCardNumbers) {
    // First, so a card number is answered as one whatever else is wrong with the text. Only within
    // the length allowed: a longer text is refused for its length already.
    const finder = { whole: options.refuseCardNumbers === 'whole' };
    schema = schema.refine((text) => text.length > options.max || !containsCardNumber(text, finder), {
      error: CARD_NUMBER_MESSAGE,
      params: CARD_NUMBER_IN_TEXT,
    });
  }
  return schema.superRefine((text, ctx) => {
    const reason = unsafeTextReason(text, options.multiline);
    if (reason) ctx.addIssue({ code: 'custom', message: reason, input: text });
  });
}

/** Limits of a free-form JSON value (a plugin's options): checked without deep recursion. */
export interface JsonLimits {
  /** Nesting of objects and arrays: `{ "a": { "b": 1 } }` is 2 deep. */
  maxDepth: number;
  /** Values in all (objects, arrays, keys, strings, numbers…). */
  maxNodes: number;
}

export const PROVIDER_OPTIONS_LIMITS: JsonLimits = { maxDepth: 8, maxNodes: 1_000 };

/**
 * Checks a JSON value against `limits` and its every key and string as safe text with no card number
 * in it (the client typed them), adding one issue (with the path of the value at fault; a key's at
 * its object, so the key is not echoed) to `ctx`. Never recurses deeper than `limits.maxDepth`.
 */
export function checkJson(value: unknown, limits: JsonLimits, ctx: z.RefinementCtx, depth = 0): void {
  let nodes = 0;
  // A string value may hold line breaks; a key may not.
  const checkString = (text: string, path: PropertyKey[], isKey: boolean): boolean => {
    const what = isKey ? 'a key ' : '';
    if (containsCardNumber(text)) {
      ctx.addIssue({ code: 'custom', message: `${what}${CARD_NUMBER_MESSAGE}`, path, input: text, params: CARD_NUMBER_IN_TEXT });
      return false;
    }
    const reason = unsafeTextReason(text, !isKey);
    if (reason) ctx.addIssue({ code: 'custom', message: `${what}${reason}`, path, input: text });
    return !reason;
  };
  const visit = (current: unknown, path: PropertyKey[], level: number): boolean => {
    if (++nodes > limits.maxNodes) {
      ctx.addIssue({ code: 'custom', message: `has more than ${limits.maxNodes} values`, path: [], input: value });
      return false;
    }
    if (typeof current === 'string') return checkString(current, path, false);
    if (current === null || typeof current !== 'object') return true;
    if (level >= limits.maxDepth) {
      ctx.addIssue({ code: 'custom', message: `is nested more than ${limits.maxDepth} deep`, path, input: current });
      return false;
    }
    const entries: [PropertyKey, unknown][] = Array.isArray(current) ? current.map((item, i) => [i, item]) : Object.entries(current);
    for (const [key, item] of entries) {
      if (typeof key === 'string' && !checkString(key, path, true)) return false;
      if (!visit(item, [...path, key], level + 1)) return false;
    }
    return true;
  };
  visit(value, [], depth);
}
