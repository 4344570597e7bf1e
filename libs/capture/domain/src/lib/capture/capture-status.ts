import { InvalidTransitionError } from '../errors/domain.errors';

/**
 * - `pending`: sent, outcome not final (a 3-D Secure wait, a webhook to come).
 * - `succeeded` / `failed`: final; the provider said yes / no.
 * - `unknown`: we cannot tell whether money moved (a timeout, a lost connection, a crash between
 *   our write and the provider's answer). A record starts here before the provider is called.
 */
export const CAPTURE_STATUSES = ['pending', 'succeeded', 'failed', 'unknown'] as const;
export type CaptureStatus = (typeof CAPTURE_STATUSES)[number];

// Final statuses have no way out: a succeeded capture never becomes failed, nor the reverse.
const ALLOWED: Record<CaptureStatus, readonly CaptureStatus[]> = {
  unknown: ['pending', 'succeeded', 'failed'],
  pending: ['succeeded', 'failed', 'unknown'],
  succeeded: [],
  failed: [],
};

export function isFinalStatus(status: CaptureStatus): boolean {
  return ALLOWED[status].length === 0;
}

/** The statuses of money in doubt: the reconciler checks them, an operator may resolve them. The one definition. */
export type InDoubtStatus = 'unknown' | 'pending';

export function isInDoubt(status: CaptureStatus): status is InDoubtStatus {
  return status === 'unknown' || status === 'pending';
}

export function canTransition(from: CaptureStatus, to: CaptureStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Throws when a record may not move from `from` to `to`. The same status is not a move. */
export function assertTransition(from: CaptureStatus, to: CaptureStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
