import { CAPTURE_STATUSES, isFinalStatus, isInDoubt } from './capture-status';

describe('capture statuses', () => {
  it('knows which statuses are final and which are in doubt, and no status is both', () => {
    expect(CAPTURE_STATUSES.filter(isFinalStatus)).toEqual(['succeeded', 'failed']);
    expect(CAPTURE_STATUSES.filter(isInDoubt)).toEqual(['pending', 'unknown']);
  });
});
