import { plantedCard } from '@capture-gateway/domain/testing';
import fc from 'fast-check';

// The values the fuzz run sends anywhere: text, numbers, JSON, nesting, URL parts, headers.

// Characters the database cannot store or a field has no use for, and text that is merely unusual.
export const nasty = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
  '\t',
  '\n',
  '\r\n',
  '\u2028',
  '\ufeff',
  '\uffff',
  '😀',
  'é',
  '\u202e',
  '"',
  '\\',
  '%',
  '{}',
  '4111 1111 1111 1111',
  'PAN5200000000001005',
);
// Every string field gets, now and then, a card number written any way (issue #23): refused, never a 5xx.
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: plantedCard(80).map((planted) => planted.text) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), nasty, fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(501), 'x'.repeat(10_000)) },
);
// Numbers at and past every bound the API has: 0, 1, 100, 101, MAX_SAFE_INTEGER, fractions, signs.
export const number = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    20,
    99,
    100,
    101,
    128,
    129,
    255,
    256,
    500,
    501,
    999_999_999_99,
    1e21,
    2 ** 53 - 1,
    2 ** 53 + 2,
    0.1,
    1.5,
    -1e-300,
    1e308,
    365 * 86_400,
    365 * 86_400 + 1,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
export const anyValue = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(text, { maxLength: 3 }),
);

function nested(depth: number, leaf: unknown, array: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}
export const deep = fc.tuple(fc.integer({ min: 5, max: 1_000 }), fc.boolean()).map(([depth, array]) => nested(depth, 'x', array));
// Deeper than JSON.stringify goes: written as text.
export const deepText = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.boolean())
  .map(([depth, array]) => (array ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

// Bytes as sent in a path or a query: any UTF-8 (lone surrogates become U+FFFD), raw invalid bytes too.
const percent = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
export const urlText = fc.oneof(
  text.map((s) => percent(Buffer.from(s, 'utf8'))),
  fc.uint8Array({ maxLength: 12 }).map(percent),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_-.~'), maxLength: 20 }),
  fc.constantFrom('', '%', '%zz', '%00', '%ED%A0%80', '..', '%2F', '%2e%2e', 'a/b', '?', '#x'),
);

export const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';;;',
  'application/json; charset=utf-8; charset=utf-16',
);

// Header values as a client may send them: printable Latin-1 (what HTTP allows), sometimes long.
export const headerValue = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 40,
  }),
  fc.constantFrom('', ' ', 'x'.repeat(300), 'x'.repeat(7_000)),
);

export const query = (keys: readonly string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: urlText }),
        fc.oneof(
          urlText,
          number.map(String),
          fc.constantFrom(
            '',
            'unknown',
            'pending',
            'succeeded',
            'capture.updated',
            '2026-11-21T00:00:00Z',
            '2026-13-40T99:99:99Z',
            'cap_00000000',
            'evt_00000000',
          ),
        ),
        fc.boolean(),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v, bare]) => (bare ? k : `${k}=${v}`)).join('&')}`));
