import { DomainError } from '@capture-gateway/domain';
import { captureIdempotencyKey } from './idempotency-key';
import { pathIdsOf, pathSegment, unsafePathId } from './provider-path';

describe('ids in a provider path', () => {
  it('percent-encodes a safe id as one segment', () => {
    expect(pathSegment('pi_3Ab?c#d%', 'authorisationId', 'Acme')).toBe('pi_3Ab%3Fc%23d%25');
  });

  it.each(['', '.', '..', 'a/b', 'a\\b', 'a..b', 'a b', 'a\tb', 'a\u0007b', 'x'.repeat(256)])('refuses %j', (id) => {
    expect(unsafePathId(id)).toEqual(expect.any(String));
  });

  it('refuses with the field at fault, without quoting the id', () => {
    const attempt = () => pathSegment('secret/../x', 'authorisationId', 'Acme');
    expect(attempt).toThrow(DomainError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request', param: 'authorisationId' });
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('checks only the ids a path reads', () => {
    const ids = pathIdsOf({ authorisationId: 'pi_1', captureId: 'bad/id' }, 'Acme');
    expect(ids.authorisationId).toBe('pi_1');
    expect(ids.providerCaptureId).toBeUndefined();
    expect(() => ids.captureId).toThrow('captureId');
  });
});

describe('captureIdempotencyKey', () => {
  it('is derived from the capture id alone: the same for every attempt, another for another capture', () => {
    expect(captureIdempotencyKey({ captureId: 'cap_1' })).toBe(captureIdempotencyKey({ captureId: 'cap_1' }));
    expect(captureIdempotencyKey({ captureId: 'cap_1' })).not.toBe(captureIdempotencyKey({ captureId: 'cap_2' }));
  });

  it('refuses a capture id that cannot be a header value', () => {
    expect(() => captureIdempotencyKey({ captureId: 'cap 1' })).toThrow(DomainError);
  });
});
