import { Inject, Injectable } from '@nestjs/common';
import { HEALTH_MODULE_OPTIONS } from './health.module-definition';
import type { HealthModuleOptions, ReadinessCheck } from './readiness-check';

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Array<{ name: string; ok: boolean }>;
}

const DEFAULT_CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(@Inject(HEALTH_MODULE_OPTIONS) private readonly options: HealthModuleOptions) {}

  /** Runs every check at once; ready only when all pass. Reasons stay in the logs, not the answer. */
  async readiness(): Promise<ReadinessReport> {
    const timeoutMs = this.options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    const checks = await Promise.all(
      this.options.checks.map(async (check) => ({ name: check.name, ok: await runCheck(check, timeoutMs) })),
    );
    return { status: checks.every((check) => check.ok) ? 'ready' : 'not_ready', checks };
  }
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return (await Promise.race([check.check(), timeout])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
