import type { LoadResult } from './load';
import type { SoakFigures } from './soak';

export interface ScenarioFigures {
  name: string;
  saturation: LoadResult;
  fixedRate?: LoadResult;
  peakRssMb?: number;
  rssGrowthPct?: number;
  heapGrowthPct?: number;
  startupMs?: number;
  /** CPU (user + system) of the process serving the scenario, per request at saturation. */
  cpuMsPerRequest?: number;
  /** CPU of the PostgreSQL server processes per request at saturation (gateways on PostgreSQL). */
  dbCpuMsPerRequest?: number;
  /** The steady soak (gateways): live heap in its second and last fifth. */
  soak?: SoakFigures;
  correctness?: { stored: number; answered2xx: number; sandboxReceived: number; status5xx: number; ok: boolean };
}

const pad = (value: string, width: number) => value.padStart(width);
const fmt = (value: number | undefined, digits = 0) => (value === undefined ? '-' : value.toFixed(digits));

/** One table: throughput at saturation, latency at the shared fixed rate, memory, start-up. */
export function renderTable(scenarios: ScenarioFigures[], rate: number): string {
  const head = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'errors',
    'peak MB',
    'RSS +%',
    'heap +%',
    'start ms',
    'CPU ms/req',
    'DB ms/req',
    'stored=2xx=sandbox',
  ];
  const widths = [38, 9, 8, 8, 8, 7, 8, 8, 8, 9, 11, 10, 22];
  const rows = scenarios.map((s) => [
    s.name,
    fmt(s.saturation.perSecond),
    fmt(s.fixedRate?.p50, 1),
    fmt(s.fixedRate?.p99, 1),
    fmt(s.fixedRate?.max, 0),
    String(s.saturation.errors + s.saturation.status5xx + (s.fixedRate ? s.fixedRate.errors + s.fixedRate.status5xx : 0)),
    fmt(s.peakRssMb, 0),
    fmt(s.rssGrowthPct, 1),
    fmt(s.heapGrowthPct, 1),
    fmt(s.startupMs, 0),
    fmt(s.cpuMsPerRequest, 3),
    fmt(s.dbCpuMsPerRequest, 3),
    s.correctness
      ? `${s.correctness.stored}=${s.correctness.answered2xx}=${s.correctness.sandboxReceived} ${s.correctness.ok ? 'ok' : 'MISMATCH'}`
      : '-',
  ]);
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 10) : pad(cell, widths[i] ?? 10))).join(' ');
  const legend = `req/s at saturation; latencies at a steady ${rate} req/s; memory of the service during saturation (RSS +% and heap +%: last fifth over first fifth)`;
  return [legend, line(head), ...rows.map(line)].join('\n');
}

/** Mean of the first and last fifth of the samples: growth that is not start-up noise. */
export function growthPct(samples: number[]): number | undefined {
  if (samples.length < 10) return undefined;
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const first = mean(samples.slice(0, fifth));
  return ((mean(samples.slice(-fifth)) - first) / first) * 100;
}
