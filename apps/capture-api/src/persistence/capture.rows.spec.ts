import fc from 'fast-check';
import { asJsonb, jsonbJson } from './capture.rows';

// A key such as "0": JavaScript objects put these first whatever the order they were made in.
const hasIndexKey = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && Object.entries(value).some(([key, v]) => /^(0|[1-9]\d*)$/.test(key) || hasIndexKey(v));

describe('jsonbJson', () => {
  it('writes what serialising the jsonb-ordered round trip writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(jsonbJson(value) ?? 'null')).toEqual(asJsonb(value));
        // The round trip's copy cannot hold index keys in jsonb's order (they come first in any JS
        // object); the text written directly can, and does: "" before "0", as PostgreSQL orders them.
        if (!hasIndexKey(value)) expect(jsonbJson(value)).toBe(JSON.stringify(asJsonb(value)));
      }),
      { numRuns: 1000 },
    );
    expect(jsonbJson({ '0': 1, '': 2, '10': 3, a: 4 })).toBe('{"":2,"0":1,"a":4,"10":3}');
  });

  it('orders keys by UTF-8 length then bytes, as jsonb does, also outside ASCII', () => {
    const value = { zz: 1, é: 2, b: 3, aa: { '€': null, y: [{ d: 1, c: undefined }] }, a: new Date(0), skip: undefined };
    expect(jsonbJson(value)).toBe(JSON.stringify(asJsonb(value)));
    expect(jsonbJson(value)).toBe('{"a":"1970-01-01T00:00:00.000Z","b":3,"aa":{"y":[{"d":1}],"€":null},"zz":1,"é":2}');
  });
});
