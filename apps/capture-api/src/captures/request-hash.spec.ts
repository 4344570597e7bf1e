import { newCaptureId } from '@capture-gateway/domain';
import { canonicalJson, requestHash } from './request-hash';

test('the same body in another key order hashes the same; another value does not', () => {
  expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
  expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
  expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
});

test('capture ids sort by creation time', () => {
  const earlier = newCaptureId(1_700_000_000_000);
  const later = newCaptureId(1_700_000_000_001);
  expect(earlier).toMatch(/^cap_[0-9A-Z]{26}$/);
  expect(earlier < later).toBe(true);
});
