import type { CaptureEvent, CaptureStatus, Money, StatusSource } from '@capture-gateway/client';

// The service's answers that the typed client does not model (it never reads them), with the fields
// the tests read: a test that reads a field these do not declare fails to compile.

/** One entry of GET /v1/captures/:id/history; which fields are there depends on `kind`. */
export interface HistoryEntry {
  kind: 'status' | 'check' | 'flag' | 'acknowledge' | 'resend';
  at: string;
  /** status: the change (`from` absent on the insert), its source and actor. */
  from?: CaptureStatus;
  to?: CaptureStatus;
  source?: StatusSource;
  actor?: string;
  /** flag: why, and the status the report asked for; status: an operator's reason. */
  reason?: string;
  reportedStatus?: CaptureStatus;
  /** check and resend: which attempt, and what it found. */
  attempt?: number;
  answer?: string;
  answerStatus?: CaptureStatus;
  /** acknowledge: the flag it closed. */
  flag?: string;
}

export interface HistoryPage {
  data: HistoryEntry[];
}

/** GET /v1/events: the caller's events, newest first. */
export interface EventPage {
  data: CaptureEvent[];
  nextCursor: string | null;
}

/** GET /v1/events/:id: the event and its delivery to each subscription. */
export interface EventDetail {
  deliveries: { subscriptionId: string; state: string; attempts: number; lastStatus?: number }[];
}

/** GET /v1/ops/attention: the captures an operator should look at, and why. */
export interface AttentionPage {
  data: { id: string; reason: string; status: CaptureStatus; requestedAmount?: Money }[];
}

/** GET /v1/ops/health: per account, what reached the provider in the window. */
export interface OpsHealth {
  accounts: { account: string; total: number }[];
}

/** GET /v1/authorisations/:account/:id: its captures, the captured total and whether it is closed. */
export interface AuthorisationSummary {
  authorisedAmount?: Money;
  closed: boolean;
  capturedTotal: Money[];
  captures: { id: string; status: CaptureStatus; capturedAmount?: Money }[];
}
