import { InvalidTransitionError } from '../errors/domain.errors';
import { CAPTURE_STATUSES, assertTransition, canTransition, isFinalStatus } from './capture-status';

describe('capture status transitions', () => {
  it('never lets a final status change', () => {
    for (const to of CAPTURE_STATUSES) {
      expect(canTransition('succeeded', to)).toBe(false);
      expect(canTransition('failed', to)).toBe(false);
    }
    expect(() => assertTransition('succeeded', 'failed')).toThrow(InvalidTransitionError);
    expect(() => assertTransition('failed', 'succeeded')).toThrow('A capture cannot go from failed to succeeded');
  });

  it('resolves unknown and pending into a final outcome', () => {
    expect(canTransition('unknown', 'succeeded')).toBe(true);
    expect(canTransition('unknown', 'failed')).toBe(true);
    expect(canTransition('unknown', 'pending')).toBe(true);
    expect(canTransition('pending', 'succeeded')).toBe(true);
    expect(canTransition('pending', 'failed')).toBe(true);
  });

  it('does not count staying put as a transition', () => {
    for (const status of CAPTURE_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('knows which statuses are final', () => {
    expect(CAPTURE_STATUSES.filter(isFinalStatus)).toEqual(['succeeded', 'failed']);
  });
});
