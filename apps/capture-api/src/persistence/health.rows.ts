import { captureIdFloor, PROVIDER_OUTCOMES, type ProviderOutcome } from '@capture-gateway/domain';
import { emptyCounts, type HealthGroup, type HealthQuery } from './ops.store';

/**
 * A provider call's latency as a histogram bin, in SQL both stores run alike (integer division on an
 * integer column): the exact millisecond below 100 ms, then 20 bins a decade, each named by its lower
 * edge (100, 105, …, 995, 1000, 1050, …). A percentile read from the bins is at most 5 % below the
 * measured value, never above it.
 */
export function latencyBinSql(ms: string): string {
  const steps = [1_000, 10_000, 100_000, 1_000_000].map((below, i) => `WHEN ${ms} < ${below} THEN ${ms} / ${5 * 10 ** i} * ${5 * 10 ** i}`);
  return `CASE WHEN ${ms} < 100 THEN ${ms} ${steps.join(' ')} ELSE ${ms} / 50000 * 50000 END`;
}

/**
 * The SDK's plugins end every refusal made before sending (a capability or currency refusal, a
 * connection refused) with this: such a first answer is not the provider's, and health leaves it out.
 */
export const NOTHING_SENT = 'nothing was sent';

/**
 * One count of the health query: captures of one account and provider, in one bucket, with one
 * outcome and latency bin. Negative: captures to take off a count (the embedded store's refusals).
 */
export interface HealthRow {
  account: string;
  provider: string;
  /** The bucket's start, ms since the epoch. */
  bucket: number;
  outcome: ProviderOutcome;
  /** The latency bin (`latencyBinSql`); null for captures without a latency. */
  bin: number | null;
  n: number;
}

/** A slice of the window as an id range (ids sort by creation), and the bucket it counts towards. */
export interface HealthSlice {
  fromId: string;
  toId: string;
  bucket: number;
}

/**
 * The window cut into id ranges of at most `sliceMs` that never straddle a bucket: PostgreSQL reads
 * one per bucket in one statement; the embedded store one per minute, a statement each.
 */
export function healthSlices({ from, to, bucketMs }: HealthQuery, sliceMs = bucketMs): HealthSlice[] {
  const slices: HealthSlice[] = [];
  for (let bucket = Math.floor(from / bucketMs) * bucketMs; bucket <= to; bucket += bucketMs) {
    for (let start = bucket; start < bucket + bucketMs && start <= to; start += sliceMs) {
      const end = Math.min(start + sliceMs, bucket + bucketMs);
      if (end > from) slices.push({ fromId: captureIdFloor(Math.max(start, from)), toId: captureIdFloor(end), bucket });
    }
  }
  return slices;
}

interface Tally {
  group: HealthGroup;
  bins: Map<number, number>;
}

/**
 * The counts summed per account, provider and bucket, and over the whole window, with percentiles
 * from the bins. Rows are added as they come (the embedded store adds each slice's before it yields),
 * so no step at the end walks them all.
 */
export class HealthTally {
  private readonly tallies = new Map<string, Tally>();

  add(rows: readonly HealthRow[]): void {
    for (const row of rows) {
      for (const { group, bins } of [this.tally(row.account, row.provider), this.tally(row.account, row.provider, row.bucket)]) {
        group.counts[row.outcome] += row.n;
        if (row.bin !== null) bins.set(row.bin, (bins.get(row.bin) ?? 0) + row.n);
      }
    }
  }

  groups(): HealthGroup[] {
    // A group whose every capture was taken off again (the embedded store subtracts refusals) is no group.
    return [...this.tallies.values()]
      .filter(({ group }) => PROVIDER_OUTCOMES.some((outcome) => group.counts[outcome] !== 0))
      .map(({ group, bins }) => ({ ...group, latencyMs: percentiles(bins) }));
  }

  private tally(account: string, provider: string, bucket?: number): Tally {
    const key = `${account}\u0000${provider}\u0000${bucket ?? ''}`;
    let found = this.tallies.get(key);
    if (!found) {
      const group: HealthGroup = {
        account,
        provider,
        ...(bucket === undefined ? {} : { bucket }),
        counts: emptyCounts(),
        latencyMs: NO_LATENCY,
      };
      found = { group, bins: new Map() };
      this.tallies.set(key, found);
    }
    return found;
  }
}

const NO_LATENCY = { p50: null, p95: null, p99: null };

/** Nearest rank (as PostgreSQL's percentile_disc) over the bins: the bin where the cumulative count reaches the rank. */
function percentiles(bins: ReadonlyMap<number, number>): HealthGroup['latencyMs'] {
  const sorted = [...bins].sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return NO_LATENCY;
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const [bin, n] of sorted) if ((seen += n) >= rank) return bin;
    // Unreached: the rank is at most the total, which the loop reaches at the last bin.
    return sorted.at(-1)?.[0] ?? null;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** A row as the drivers return it: counts may come back as text or bigint. */
export function healthRow(raw: Record<string, unknown>, bucket: number): HealthRow {
  const outcome = String(raw['outcome']) as ProviderOutcome;
  if (!PROVIDER_OUTCOMES.includes(outcome)) throw new Error(`unexpected provider outcome ${outcome}`);
  return {
    account: String(raw['account']),
    provider: String(raw['provider']),
    bucket,
    outcome,
    bin: raw['bin'] === null ? null : Number(raw['bin']),
    n: Number(raw['n']),
  };
}
