/**
 * The value a test expects to be there, or a failure naming what was missing: for lookups
 * (`find`, `[0]`, a query's row) whose absence means the behaviour under test is broken.
 */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found ${String(value)}`);
  return value;
}
