import { CaptureRequestSchema } from '../capture/capture.schemas';
import { safeText, unsafeTextReason } from './safe-text';

const valid = { account: 'acme-us', authorisationId: 'auth_1', amount: { amount: 100, currency: 'USD' } };

function firstIssue(body: unknown) {
  const result = CaptureRequestSchema.safeParse(body);
  const issue = result.error?.issues[0];
  if (!issue) return undefined;
  return { path: issue.path.join('.'), message: issue.message, params: issue.code === 'custom' ? issue.params : undefined };
}

describe('safe text', () => {
  test.each(['\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u009f', '\ud800', '\udfff', 'a\ud800b'])(
    '%j is refused everywhere',
    (bad) => {
      expect(unsafeTextReason(`x${bad}y`)).toBeDefined();
      expect(unsafeTextReason(`x${bad}y`, true)).toBeDefined();
    },
  );

  test('tabs and line breaks are only for multi-line text; emoji and accents are fine', () => {
    expect(unsafeTextReason('a\tb\nc\r\n', true)).toBeUndefined();
    expect(unsafeTextReason('a\tb')).toBeDefined();
    expect(unsafeTextReason('café 😀 日本', false)).toBeUndefined();
  });

  test.each([
    ['authorisationId', { ...valid, authorisationId: 'a\u0000' }, 'authorisationId'],
    ['description', { ...valid, description: 'd\ud800' }, 'description'],
    ['a metadata value', { ...valid, metadata: { k: 'v\u0085' } }, 'metadata.k'],
    ['a metadata key', { ...valid, metadata: { 'k\u0000': 'v' } }, 'metadata.k\u0000'],
    ['a providerOptions string', { ...valid, providerOptions: { a: [{ b: 'x\u0000' }] } }, 'providerOptions.a.0.b'],
  ])('a control character or lone surrogate in %s is refused at its path', (_name, body, path) => {
    expect(firstIssue(body)?.path).toBe(path);
  });

  test('deeply nested providerOptions are refused without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(firstIssue({ ...valid, providerOptions: { deep } })).toMatchObject({
      path: 'providerOptions.deep.0.0.0.0.0.0.0',
      message: expect.stringContaining('nested'),
    });
  });

  test.each([
    ['description', { ...valid, description: 'card 4111 1111 1111 1111 exp 12/28' }, 'description'],
    ['a metadata value', { ...valid, metadata: { note: 'PAN5200000000001005' } }, 'metadata.note'],
    ['authorisationId', { ...valid, authorisationId: '4111111111111111' }, 'authorisationId'],
    ['authorisationId, split by line breaks', { ...valid, authorisationId: 'a 4111\n1111\n1111\n1111' }, 'authorisationId'],
    ['a providerOptions string', { ...valid, providerOptions: { a: [{ b: 'x 4111-1111 1111-1111' }] } }, 'providerOptions.a.0.b'],
    // A key is refused at its object: the key itself is never echoed.
    ['a providerOptions key', { ...valid, providerOptions: { a: { 'pan_4111\u200b111111111111': 1 } } }, 'providerOptions.a'],
  ])('a card number in %s is refused with its own code', (_name, body, path) => {
    expect(firstIssue(body)).toMatchObject({ path, params: { code: 'card_number_in_text' } });
  });

  test('with trim, the length is counted without the spaces around the text', () => {
    const reason = safeText({ trim: true, min: 3, max: 10 });
    expect(reason.safeParse('  ab  ').success).toBe(false);
    expect(reason.parse('  abc  ')).toBe('abc');
  });
});
