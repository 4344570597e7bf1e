import { captureIdFloor, newCaptureId, newEventId } from './capture-id';

describe('time-sorted ids', () => {
  test('ids made in one millisecond sort in the order they were made', () => {
    const now = Date.UTC(2026, 11, 5, 12);
    for (const make of [newEventId, newCaptureId]) {
      const ids = Array.from({ length: 1_000 }, () => make(now));
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('an id encodes the time it was made for, so a time window is an id range', () => {
    const later = Date.UTC(2026, 11, 5, 13);
    newCaptureId(later);
    const earlier = newCaptureId(later - 60_000);
    expect(earlier >= captureIdFloor(later - 60_000)).toBe(true);
    expect(earlier < captureIdFloor(later - 59_999)).toBe(true);
  });
});
