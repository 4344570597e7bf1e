/** The little SQL the PostgreSQL stores speak: positional parameters ($1…), rows as plain objects. */
export interface SqlExecutor {
  /**
   * `name` marks a statement of the hot path: PostgreSQL prepares it once per connection and reuses
   * the plan.
   */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[], name?: string): Promise<T[]>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
