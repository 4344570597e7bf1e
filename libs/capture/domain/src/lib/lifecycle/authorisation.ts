import type { CaptureRecord } from '../capture/capture.schemas';
import type { ErrorCode } from '../errors/error-codes';
import { formatMoney } from '../money/money';
import type { Money } from '../money/money.schemas';

/** A capture of an authorisation, as the authorisation's rules read it. */
export interface AuthorisationCapture {
  record: Pick<CaptureRecord, 'status' | 'requestedAmount' | 'capturedAmount'>;
  /** No later capture may follow a final one (unless it failed). */
  final: boolean;
}

/** An authorisation as its store holds it: what its captures declared, and its captures so far. */
export interface AuthorisationState {
  /** The amount authorised, as the first capture that declared it said. */
  authorisedAmount?: Money;
  /** The provider reported the authorisation closed (nothing more can be captured). */
  closedByProvider: boolean;
  captures: readonly AuthorisationCapture[];
}

/** What a new capture asks of its authorisation. */
export interface CaptureAsk {
  amount?: Money;
  /** Absent in a request means true: the last capture of the authorisation. */
  final: boolean;
  authorisedAmount?: Money;
}

export type Admission =
  | { admitted: true; /** The authorised amount to keep, when this capture declares it first. */ declares?: Money }
  | { admitted: false; code: ErrorCode; message: string; param: string };

/** The amount a capture holds of its authorisation: what it captured, or while in doubt what it asked for. */
function committedBy({ record }: AuthorisationCapture): Money | undefined {
  if (record.status === 'failed') return undefined;
  if (record.status === 'succeeded') return record.capturedAmount ?? record.requestedAmount;
  return record.requestedAmount;
}

/**
 * Where an authorisation stands: closed once a final capture did not fail or the provider said so;
 * the amounts captured (succeeded) and committed (succeeded, and asked for by captures in doubt),
 * per currency.
 */
export function authorisationSummary(state: AuthorisationState) {
  const closed = state.closedByProvider || state.captures.some((c) => c.final && c.record.status !== 'failed');
  return { closed, captured: totals(state.captures.filter((c) => c.record.status === 'succeeded')), committed: totals(state.captures) };
}

function totals(captures: readonly AuthorisationCapture[]): Money[] {
  const byCurrency = new Map<string, number>();
  for (const capture of captures) {
    const money = committedBy(capture);
    if (money) byCurrency.set(money.currency, (byCurrency.get(money.currency) ?? 0) + money.amount);
  }
  return [...byCurrency].map(([currency, amount]) => ({ currency, amount }));
}

/**
 * Whether a capture may start on its authorisation, decided before anything is stored or sent: never
 * on a closed authorisation; never past the authorised amount, counting every capture that did not
 * fail (in doubt, it may still capture); a declared authorised amount never changes.
 */
export function admit(state: AuthorisationState, ask: CaptureAsk): Admission {
  const { closed, committed } = authorisationSummary(state);
  if (closed) {
    const message = state.closedByProvider
      ? 'The provider reports this authorisation closed: nothing more can be captured on it'
      : 'A final capture of this authorisation exists: nothing more can be captured on it';
    return { admitted: false, code: 'authorisation_closed', message, param: 'authorisationId' };
  }
  const declared = state.authorisedAmount;
  if (
    ask.authorisedAmount &&
    declared &&
    (ask.authorisedAmount.amount !== declared.amount || ask.authorisedAmount.currency !== declared.currency)
  ) {
    const message = `This authorisation was declared as ${formatMoney(declared)}, not ${formatMoney(ask.authorisedAmount)}`;
    return { admitted: false, code: 'invalid_request', message, param: 'authorisedAmount' };
  }
  const authorised = declared ?? ask.authorisedAmount;
  if (!ask.final && !ask.amount) {
    return { admitted: false, code: 'invalid_request', message: 'A capture that is not final needs an amount', param: 'amount' };
  }
  // "Everything that is left" is the provider's sum to make, and some answer with a running total
  // that could not be told from this capture's own: after earlier captures, an amount is named.
  if (!ask.amount && state.captures.some((c) => c.record.status !== 'failed')) {
    const message = 'This authorisation has earlier captures: a later capture needs an amount';
    return { admitted: false, code: 'invalid_request', message, param: 'amount' };
  }
  if (authorised && ask.amount) {
    if (ask.amount.currency !== authorised.currency) {
      const message = `The authorisation is in ${authorised.currency}, not ${ask.amount.currency}`;
      return { admitted: false, code: 'currency_mismatch', message, param: 'amount.currency' };
    }
    const taken = committed.find((m) => m.currency === authorised.currency)?.amount ?? 0;
    if (taken + ask.amount.amount > authorised.amount) {
      const left = { amount: Math.max(0, authorised.amount - taken), currency: authorised.currency };
      const message = `${formatMoney(ask.amount)} would take the authorisation past ${formatMoney(authorised)}: ${formatMoney(left)} is left`;
      return { admitted: false, code: 'amount_exceeds_authorisation', message, param: 'amount.amount' };
    }
  }
  return { admitted: true, ...(ask.authorisedAmount && !declared ? { declares: ask.authorisedAmount } : {}) };
}
