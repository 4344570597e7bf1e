import { BackgroundLoop } from './background-loop';

const tick = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('a background loop', () => {
  test('runs again at once while a pass finds work, waits when idle, survives a failed pass, and stops', async () => {
    const work = [3, 2, 0];
    const errors: unknown[] = [];
    let passes = 0;
    const loop = new BackgroundLoop(
      async () => {
        passes++;
        if (passes === 4) throw new Error('boom');
        return work.shift() ?? 0;
      },
      50,
      (error) => errors.push(error),
    );
    loop.start();
    await tick(80); // one idle wait, then 3 and 2 back to back, then the idle 0
    expect(passes).toBe(3);
    await tick(120);
    expect(errors).toHaveLength(1);
    expect(passes).toBeGreaterThanOrEqual(5);
    await loop.stop();
    const stoppedAt = passes;
    await tick(120);
    expect(passes).toBe(stoppedAt);
  });
});
