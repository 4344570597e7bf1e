/** One condition the service needs before it takes traffic: the database answers, migrations ran, plugins loaded. */
export interface ReadinessCheck {
  /** Shown in `GET /health/ready`; keep it short and free of secrets (`database`, `migrations`). */
  name: string;
  /** Resolves true when ready. A throw, a false or a timeout counts as not ready. */
  check(): Promise<boolean>;
}

export interface HealthModuleOptions {
  checks: ReadinessCheck[];
  /** How long one check may take before it counts as failed. Default 2000 ms. */
  checkTimeoutMs?: number;
}
