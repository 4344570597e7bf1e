import { measureTracingOverhead, tracingOverheadLine } from './tracing-overhead';

describe('the tracing-off check of the bench', () => {
  const overhead = { counts: { request: 1, statement: 10 }, costUs: { request: 2, statement: 0.5 }, usPerCapture: 7 };

  test('met under 1 % of the gateway CPU per capture, MISSED at or above', () => {
    expect(tracingOverheadLine(overhead, 1.5)).toMatch(
      /^tracing off: 7\.0 us per capture = 0\.47 % of the gateway's CPU per capture \(1\.500 ms; target < 1 %\) met\n {2}wrappers one capture goes through: 1 request x 2\.000 us, 10 statement x 0\.500 us$/,
    );
    expect(tracingOverheadLine(overhead, 0.5).split('\n')[0]).toMatch(/= 1\.40 % .* MISSED$/);
    expect(tracingOverheadLine(overhead, undefined)).toContain('no gateway CPU figure to compare with');
  });

  // The real probe: the service's own wrappers, tracing off, counted through one capture path.
  test('the probe counts the wrappers of a capture and times them', async () => {
    const measured = await measureTracingOverhead();
    expect(measured.counts).toMatchObject({ request: 1, providerCall: 1, outboundInject: 1 });
    expect(measured.counts['statement']).toBeGreaterThanOrEqual(4);
    expect(measured.usPerCapture).toBeGreaterThan(0);
    const sum = Object.entries(measured.counts).reduce((total, [kind, n]) => total + n * (measured.costUs[kind] ?? NaN), 0);
    expect(measured.usPerCapture).toBeCloseTo(sum, 6);
  }, 120_000);
});
