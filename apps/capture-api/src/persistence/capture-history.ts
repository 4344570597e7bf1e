import type { CaptureStatus, CheckAnswer, FlagReason, StatusSource } from '@capture-gateway/domain';

/** One entry of a capture's history, oldest first: a status change, a status check, a flag, its acknowledgement, a re-send. */
export type HistoryEntry = StatusChange | StatusCheck | FlagEntry | AcknowledgeEntry | ResendEntry;

interface ByWhom {
  source: StatusSource;
  /** The API client and key (api, operator), the plugin (webhook) or `reconciler`. */
  actor?: string;
  requestId?: string;
  at: string;
}

export interface StatusChange extends ByWhom {
  kind: 'status';
  /** Absent: the insert. */
  from?: CaptureStatus;
  to: CaptureStatus;
  /** An operator's reason. */
  reason?: string;
}

/** A status check the reconciler made. */
export interface StatusCheck {
  kind: 'check';
  attempt: number;
  answer: CheckAnswer;
  /** The status the provider reported, when found. */
  status?: CaptureStatus;
  message?: string;
  at: string;
}

/** A report refused and flagged for an operator: it contradicted the capture, or took more than was asked. */
export interface FlagEntry extends ByWhom {
  kind: 'flag';
  reason: FlagReason;
  /** The capture's status, which stayed. */
  status: CaptureStatus;
  /** The status the report asked for. */
  reportedStatus: CaptureStatus;
  message: string;
  /** The provider's event id, when a webhook raised it. */
  eventId?: string;
}

/** An operator closed a flag; the status stayed. */
export interface AcknowledgeEntry extends ByWhom {
  kind: 'acknowledge';
  status: CaptureStatus;
  flag: FlagReason;
  note: string;
}

/** The reconciler re-sent the capture to its idempotent provider with the same key. */
export interface ResendEntry extends ByWhom {
  kind: 'resend';
  attempt: number;
  /** The status the re-send's answer gave. */
  answerStatus: CaptureStatus;
}
