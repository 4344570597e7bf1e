/**
 * - `pending`: sent, outcome not final (a 3-D Secure wait, a webhook to come).
 * - `succeeded` / `failed`: final; the provider said yes / no.
 * - `unknown`: we cannot tell whether money moved (a timeout, a lost connection, a crash between
 *   our write and the provider's answer). A record starts here before the provider is called.
 * How a capture moves between them is the state machine's (`lifecycle/settle.ts`).
 */
export const CAPTURE_STATUSES = ['pending', 'succeeded', 'failed', 'unknown'] as const;
export type CaptureStatus = (typeof CAPTURE_STATUSES)[number];

/** The statuses of money in doubt: the reconciler looks at them, an operator may resolve them. The one definition. */
export type InDoubtStatus = 'unknown' | 'pending';

export function isInDoubt(status: CaptureStatus): status is InDoubtStatus {
  return status === 'unknown' || status === 'pending';
}

/** Final statuses have no way out: a succeeded capture never becomes failed, nor the reverse. */
export function isFinalStatus(status: CaptureStatus): boolean {
  return !isInDoubt(status);
}
