/** The database cannot be reached (refused, dropped, shut down, no connection in time): answer 503, retry later. */
export class StorageUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super('the database cannot be reached');
    this.name = 'StorageUnavailableError';
  }
}

// SQLSTATE classes 08 (connection exception) and 57P01-03 (admin shutdown, crash shutdown, cannot
// connect now), and the socket errors of a server that went away.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);
const UNREACHABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection ended unexpectedly/i,
];

/** Whether a driver error means the database is out of reach, rather than a statement's own fault. */
export function isUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** Runs `work`, turning an out-of-reach database into a `StorageUnavailableError`. */
export async function reachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isUnreachable(error) ? new StorageUnavailableError(error) : error;
  }
}
