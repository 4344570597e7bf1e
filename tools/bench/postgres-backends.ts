import { Client } from 'pg';
import { cpuMsOf } from './processes';

/**
 * The CPU of the PostgreSQL backends serving one gateway, told apart from every other client of the
 * server (other test runs share it) by the `application_name` its connection URL carries.
 */
export class BackendCpu {
  private constructor(
    private readonly admin: Client,
    private readonly applicationName: string,
  ) {}

  static async connect(databaseUrl: string, applicationName: string): Promise<BackendCpu> {
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    return new BackendCpu(admin, applicationName);
  }

  /** CPU used so far by each of the gateway's backends, in ms, by process id. */
  async snapshot(): Promise<Map<number, number>> {
    const { rows } = await this.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
      this.applicationName,
    ]);
    return new Map(rows.map(({ pid }) => [pid, cpuMsOf(pid)]));
  }

  /** CPU used between two snapshots; a backend that appeared meanwhile counts from zero. */
  static between(before: Map<number, number>, after: Map<number, number>): number {
    let total = 0;
    for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
    return total;
  }

  close(): Promise<void> {
    return this.admin.end();
  }
}

/** The gateway's database URL with the name its backends are found by. */
export const withApplicationName = (databaseUrl: string, applicationName: string): string => {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
};
