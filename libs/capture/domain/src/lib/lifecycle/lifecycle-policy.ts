import { isInDoubt, type CaptureStatus } from '../capture/capture-status';
import type { StoredCapture } from './stored-capture';

/** How the reconciler may look at one account's captures in doubt, and how often. */
export interface LifecyclePolicy {
  /** The account's plugin can read a capture's status at its provider (`checkCapture`). */
  statusCheck: boolean;
  /**
   * The account's provider is idempotent: a capture in doubt may be re-sent with its own key, at
   * most `max` times, and only while the provider keeps keys (`windowMs` from the capture's creation).
   */
  resend?: { max: number; windowMs: number };
  /** Waits between looks, by the number of looks made (the last repeats). */
  backoffMs: readonly number[];
  /** A `pending` capture is first looked at after this long. */
  pendingCheckAfterMs: number;
  /** The longest a provider call can take: the account's timeout and the service's grace. */
  callWindowMs: number;
}

/** What the reconciler does with a due capture: re-send it, read its status, or nothing (an operator's). */
export type ReconcilerAction = 'resend' | 'check' | 'none';

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether the capture may be re-sent now: idempotent provider, under the bound, within the provider's key window. */
function canResend(capture: StoredCapture, policy: LifecyclePolicy, now: number): boolean {
  const { resend } = policy;
  if (!resend || capture.record.status !== 'unknown') return false;
  return capture.resends < resend.max && now < Date.parse(capture.record.createdAt) + resend.windowMs;
}

/** The reconciler's next move on a due capture: a re-send first where the provider's idempotency allows, else a status check. */
export function nextAction(capture: StoredCapture, policy: LifecyclePolicy, now: number): ReconcilerAction {
  if (!isInDoubt(capture.record.status)) return 'none';
  if (canResend(capture, policy, now)) return 'resend';
  return policy.statusCheck ? 'check' : 'none';
}

/**
 * When the reconciler next looks at a capture that has come to `status` after `looks` looks
 * (checks and re-sends): never when final or when nothing can be done; `pending` first after the
 * account's threshold, then, like `unknown`, on the backoff.
 */
export function nextLookAt(capture: StoredCapture, looks: number, policy: LifecyclePolicy, now: number): string | null {
  const status: CaptureStatus = capture.record.status;
  if (nextAction(capture, policy, now) === 'none') return null;
  const backoff = policy.backoffMs[Math.min(looks, policy.backoffMs.length - 1)] ?? 0;
  return iso(now + (status === 'pending' && looks === 0 ? policy.pendingCheckAfterMs : backoff));
}

/** For a capture about to be sent: looked at, should no answer be stored, only once its call has surely ended. */
export function firstLookAt(capture: StoredCapture, policy: LifecyclePolicy, now: number): string | null {
  if (nextAction(capture, policy, now) === 'none') return null;
  return iso(now + Math.max(policy.backoffMs[0] ?? 0, policy.callWindowMs));
}
