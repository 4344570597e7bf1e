import { findCardNumbers } from '@capture-gateway/domain';
import fc from 'fast-check';
import { mayHoldCardNumber, redactLogLine, SecretSet } from './log-redaction';

describe('mayHoldCardNumber', () => {
  it('says no only where the finder finds no card, read plain or as JSON', () => {
    const text = fc.string({
      unit: fc.constantFrom('4', '1', '5', '2', '0', ' ', '-', '"', ',', ':', '.', 'a', 'T', '\\', 'n', 'é', '\u200b'),
    });
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary' })), (line) => {
        if (!mayHoldCardNumber(line)) {
          expect(findCardNumbers(line)).toEqual([]);
          expect(findCardNumbers(line, { json: true })).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('lets a request line through unsearched, and searches one with a card', () => {
    const line = '{"level":"info","time":"2026-12-05T23:59:59.999Z","requestId":"req_0123","status":201,"durationMs":12.3}';
    expect(mayHoldCardNumber(line)).toBe(false);
    expect(redactLogLine(line, new SecretSet())).toBe(line);
    expect(mayHoldCardNumber('{"message":"card 5200 0000 0000 1005"}')).toBe(true);
  });
});

describe('SecretSet', () => {
  it('gives the forms of secrets added after a line was scrubbed', () => {
    const secrets = new SecretSet(['first-secret']);
    expect(redactLogLine('first-secret second-secret', secrets)).toBe('[REDACTED] second-secret');
    secrets.add(['second-secret']);
    expect(redactLogLine('first-secret second-secret', secrets)).toBe('[REDACTED] [REDACTED]');
  });
});
