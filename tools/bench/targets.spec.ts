import type { LoadResult } from './load';
import type { ScenarioFigures } from './report';
import { targetLines } from './targets';

const run = (perSecond: number): LoadResult => ({
  requests: 1,
  perSecond,
  p50: 1,
  p99: 2,
  max: 3,
  ok2xx: 1,
  non2xx: 0,
  status5xx: 0,
  errors: 0,
});

const withSoak = (heapSecondMb: number, heapLastMb: number): ScenarioFigures => ({
  name: 'gateway, PostgreSQL',
  saturation: run(100),
  soak: {
    seconds: 300,
    rate: 250,
    run: run(250),
    heapSecondMb,
    heapLastMb,
    heapGrowthPct: ((heapLastMb - heapSecondMb) / heapSecondMb) * 100,
    usedSecondMb: 90,
    usedLastMb: 120,
  },
});

const soakLine = (pg: ScenarioFigures) =>
  targetLines((name) => (name === pg.name ? pg : undefined), { name: 'bare proxy', saturation: run(1000) }).find((l) =>
    l.includes('heap over the soak, last minute vs the second, PostgreSQL'),
  );

describe('the soak target', () => {
  test('is met when the last minute is within 10 % of the second, either way', () => {
    expect(soakLine(withSoak(60, 64))).toMatch(/^target met .*: 6\.7 %/);
    expect(soakLine(withSoak(60, 56))).toMatch(/^target met /);
  });

  test('is missed when the heap grew more than 10 %, and not measured without a soak', () => {
    expect(soakLine(withSoak(60, 70))).toMatch(/^target MISSED .*: 16\.7 %/);
    expect(soakLine({ name: 'gateway, PostgreSQL', saturation: run(100) })).toMatch(/^target \?.*not measured/);
  });
});

describe('a quick run', () => {
  test('prints every target as a harness check with its figure, never met or MISSED', () => {
    const pg = withSoak(60, 70);
    const lines = targetLines((name) => (name === pg.name ? pg : undefined), { name: 'bare proxy', saturation: run(1000) }, 400, {
      harnessCheck: true,
    });
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(line).toMatch(/^harness check \(quick run, no verdict\) {2}.+: .+ \(target (<=|>=) [\d.]+ \S+\)$/);
    expect(lines.join('\n')).not.toMatch(/MISSED|met/);
    expect(lines).toContain(
      'harness check (quick run, no verdict)  heap over the soak, last minute vs the second, PostgreSQL: 16.7 % (target <= 10 %)',
    );
  });
});
