import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TS_ENV, WORKSPACE } from './processes';

// The probe runs the service's own tracing code (the span wrappers one capture goes through) in a
// process of its own: the bench may not import the app, and the probe must start with no provider.
const PROBE = join(WORKSPACE, 'apps/capture-api/src/testing/tracing-overhead.probe.ts');

/** What the probe measured: wrappers per capture by kind, CPU µs per wrapper with tracing off, and the product. */
export interface TracingOverhead {
  counts: Record<string, number>;
  costUs: Record<string, number>;
  usPerCapture: number;
}

/** Target: tracing off costs under 1 % of the gateway's CPU per capture. */
export const TRACING_OFF_LIMIT_PCT = 1;

export async function measureTracingOverhead(): Promise<TracingOverhead> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', PROBE], {
    cwd: WORKSPACE,
    // Never with an exporter: this measures tracing off.
    env: { ...process.env, ...TS_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' },
    timeout: 120_000,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as TracingOverhead;
}

/** The gateway scenario with the lowest CPU per capture: the strictest figure to compare tracing's cost with. */
export function cheapestGatewayCpu(scenarios: ReadonlyArray<{ name: string; cpuMsPerRequest?: number | null }>): number | undefined {
  const cpu = Math.min(...scenarios.flatMap((s) => (s.name.startsWith('gateway') ? [s.cpuMsPerRequest ?? Infinity] : [])));
  return Number.isFinite(cpu) ? cpu : undefined;
}

/** "tracing off: X us per capture = Y % of the gateway's CPU per capture (target < 1 %) met|MISSED". */
export function tracingOverheadLine(overhead: TracingOverhead, gatewayCpuMsPerCapture: number | undefined): string {
  const us = overhead.usPerCapture;
  const counts = Object.entries(overhead.counts)
    .map(([kind, n]) => `${n} ${kind} x ${(overhead.costUs[kind] ?? 0).toFixed(3)} us`)
    .join(', ');
  if (gatewayCpuMsPerCapture === undefined || !(gatewayCpuMsPerCapture > 0)) {
    return `tracing off: ${us.toFixed(1)} us per capture (${counts}); no gateway CPU figure to compare with`;
  }
  const pct = (us / (gatewayCpuMsPerCapture * 1000)) * 100;
  return (
    `tracing off: ${us.toFixed(1)} us per capture = ${pct.toFixed(2)} % of the gateway's CPU per capture ` +
    `(${gatewayCpuMsPerCapture.toFixed(3)} ms; target < ${TRACING_OFF_LIMIT_PCT} %) ${pct < TRACING_OFF_LIMIT_PCT ? 'met' : 'MISSED'}\n` +
    `  wrappers one capture goes through: ${counts}`
  );
}
