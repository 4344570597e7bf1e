import fc from 'fast-check';
import type { FuzzTargets } from './fuzz-requests';
import { anyValue, deep, deepText, number, text } from './fuzz-values';
import { defined } from './defined';

/** Bodies of POST /v1/captures: valid ones (to reach real captures), mutated ones, and no JSON at all. */
export const captureBody = (targets: FuzzTargets) => {
  const money = fc.record(
    { amount: fc.oneof(number, anyValue), currency: fc.oneof(fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'XAU', 'usd'), text) },
    { requiredKeys: [] },
  );
  const valid = fc.record(
    {
      account: fc.constantFrom(...targets.accounts, 'nope'),
      authorisationId: fc.oneof(
        text.map((s) => `fuzz-${s}`),
        fc.constantFrom('fuzz-ok', 'decline-fuzz', 'timeout-fuzz'),
      ),
      amount: fc.record({ amount: fc.integer({ min: 0, max: 1_000_000 }), currency: fc.constantFrom('USD', 'EUR') }),
      description: text,
      metadata: fc.dictionary(text, text, { maxKeys: 4 }),
      providerOptions: fc.oneof(
        fc.dictionary(text, anyValue, { maxKeys: 3 }),
        deep.map((d) => ({ metadata: d })),
      ),
    },
    { requiredKeys: ['account', 'authorisationId'] },
  );
  const field = fc.constantFrom(
    'account',
    'authorisationId',
    'amount',
    'description',
    'metadata',
    'providerOptions',
    'extra',
    '__proto__',
    'constructor',
  );
  const mutated = fc
    .tuple(valid, field, fc.oneof(anyValue, money, deep, fc.dictionary(text, anyValue, { maxKeys: 60 })))
    .map(([body, key, value]) => {
      const copy: Record<string, unknown> = { ...body };
      Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return JSON.stringify(copy);
    });
  // Valid requests, so the generators reach past validation to real captures (201, 402, 409…).
  const primary = defined(targets.accounts[0], 'an account to fuzz');
  const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 12 });
  const clean = fc.record(
    {
      account: fc.constantFrom(primary, primary, ...targets.accounts),
      authorisationId: fc.tuple(fc.constantFrom('fuzz-', 'decline-', 'pending-'), word).map(([prefix, w]) => prefix + w),
      amount: fc.record({ amount: fc.integer({ min: 1, max: 100_000 }), currency: fc.constantFrom('USD', 'EUR') }),
      description: word,
      metadata: fc.dictionary(word, word, { maxKeys: 3 }),
    },
    { requiredKeys: ['account', 'authorisationId'] },
  );
  return fc.oneof(
    { weight: 3, arbitrary: clean.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: deep.map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: deepText },
    {
      weight: 1,
      arbitrary: fc
        .tuple(deepText, fc.constantFrom('providerOptions', 'metadata', 'description', 'amount'), fc.boolean())
        .map(
          ([d, field, nestedUnder]) =>
            `{"account":"multi-us","authorisationId":"fuzz-deep","${field}":${nestedUnder ? `{"metadata":${d}}` : d}}`,
        ),
    },
    { weight: 1, arbitrary: text },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', '[', 'null', '{}', '[]', '"x"', '0', '{"account":', `{"a":"${'x'.repeat(200_000)}"}`),
    },
  );
};
