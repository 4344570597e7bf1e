import type { CaptureOutcome } from '../capture/capture-outcome.schemas';
import type { ProviderAnswer } from '../capture/provider-outcome';
import type { StatusSource } from '../events/capture-event.schemas';

/** What a status check at the provider answered: found (with its outcome), never received, or cannot tell. */
export const CHECK_ANSWERS = ['found', 'not_received', 'cannot_tell'] as const;
export type CheckAnswer = (typeof CHECK_ANSWERS)[number];

/** Who asks for a change: written to the capture's history with it. */
export interface ChangeMeta {
  /** The API client (answer, operator: with the key), the plugin (webhook) or `reconciler`. */
  actor?: string;
  requestId?: string;
}

/** Everything that can happen to a capture once it is stored. `settle` decides what each one does. */
export type CaptureChange = ChangeMeta &
  (
    | {
        /** The provider's answer to our own call. */
        kind: 'answer';
        outcome: CaptureOutcome;
        provider?: ProviderAnswer;
      }
    | {
        /** A signed provider webhook, matched to this capture. */
        kind: 'webhook';
        outcome: CaptureOutcome;
        /** The provider's id of the event. */
        eventId: string;
      }
    | {
        /** The reconciler asked the provider what became of the capture. */
        kind: 'check';
        answer: CheckAnswer;
        /** When found: what the provider says. */
        outcome?: CaptureOutcome;
        message?: string;
      }
    | {
        /** The reconciler re-sent the capture to an idempotent provider with the same key; its answer. */
        kind: 'resend';
        outcome: CaptureOutcome;
      }
    | {
        /** An operator settles a capture in doubt, with the evidence in `reason`. */
        kind: 'resolve';
        status: 'succeeded' | 'failed';
        reason: string;
        providerReference?: string;
      }
    | {
        /** An operator has looked at a flagged capture: the flag is closed, the status stays. */
        kind: 'acknowledge';
        note: string;
      }
  );

export type CaptureChangeKind = CaptureChange['kind'];

/** The history's name for who moved a capture, by the kind of change. */
export const SOURCE_OF: Record<CaptureChangeKind, StatusSource> = {
  answer: 'api',
  webhook: 'webhook',
  check: 'reconciler',
  resend: 'reconciler',
  resolve: 'operator',
  acknowledge: 'operator',
};
