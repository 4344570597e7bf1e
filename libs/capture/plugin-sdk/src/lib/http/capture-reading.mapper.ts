import {
  type CaptureOutcomeInput,
  type ErrorCode,
  type MaskedCard,
  type Money,
  type ProviderReferences,
  MaskedCardSchema,
  formatMoney,
} from '@capture-gateway/domain';
import { redact } from '../secrets';
import { invalidResponseOutcome, outcomeForHttpStatus, type ProviderErrorDetail } from './http-status.mapper';

/**
 * What a provider's answer (or a webhook's event) says about one capture, in our words. The
 * skeleton turns it into an outcome: it maps the provider's code, redacts, and checks the amount.
 */
export type CaptureReading =
  | ({ status: 'succeeded'; capturedAmount?: Money } & ReadingCommon)
  | ({ status: 'pending' } & ReadingCommon)
  /** The provider said no: `provider.code` goes through the plugin's `errorCodes` (default `provider_declined`). */
  | ({ status: 'declined'; provider?: ProviderErrorDetail } & ReadingCommon);

interface ReadingCommon {
  references?: ProviderReferences;
  /** Never more than brand, first six and last four: use the domain's `maskCard`. */
  card?: MaskedCard;
  /** The provider says nothing more can be captured on the authorisation. */
  authorisationClosed?: boolean;
}

/** The rules every provider shares for turning answers into outcomes, bound to one account. */
export interface OutcomeRules {
  providerName: string;
  /** The provider's codes onto ours: the one table. */
  errorCodes: Readonly<Record<string, ErrorCode>>;
  /** The account's secrets: redacted from the provider's words before anything is cut short. */
  secrets: readonly string[];
  /** A success may report less than was asked (a partial authorisation); more never passes. */
  capturedAmountMayBeLess?: boolean;
}

/** The provider's own code and message, redacted first and only then truncated. */
export function cleanProviderDetail(detail: ProviderErrorDetail | undefined, secrets: readonly string[]): ProviderErrorDetail | undefined {
  const code = detail?.code ? redact(detail.code, secrets).slice(0, 100) : undefined;
  const message = detail?.message ? redact(detail.message, secrets).slice(0, 500) : undefined;
  if (!code && !message) return undefined;
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/**
 * A non-2xx answer. In this order: a 5xx stays `unknown` whatever its body says (the provider may
 * have captured before failing); so does an answer the plugin read as `inDoubt` (an earlier attempt
 * with the same key in progress); a 404 without a provider error code is a wrong route (check the
 * base URL), not an unknown authorisation; a known code from the table; else the HTTP status.
 */
export function outcomeFromRefusal(status: number, rawDetail: ProviderErrorDetail | undefined, rules: OutcomeRules): CaptureOutcomeInput {
  const { providerName } = rules;
  const provider = cleanProviderDetail(rawDetail, rules.secrets);
  if (status >= 500) return outcomeForHttpStatus(status, providerName, provider);
  // Redirects are never followed (that would send the capture where the account never named), and
  // one may come after the provider took the capture (a 303): whatever its body, it is `unknown`.
  if (status < 400) {
    const message = `${providerName} answered a redirect (HTTP ${status}), which is not followed; the capture may or may not have happened`;
    return { status: 'unknown', error: { code: 'provider_response_invalid', message } };
  }
  if (rawDetail?.inDoubt) {
    const message = `${providerName} is still processing, or already processed, an earlier attempt of this capture (HTTP ${status}); the capture may or may not have happened`;
    return { status: 'unknown', error: { code: 'provider_unavailable', message, ...(provider ? { provider } : {}) } };
  }
  if (status === 404 && !rawDetail?.code) {
    return invalidResponseOutcome(404, providerName, `a 404 without ${providerName}'s error code; check the account's baseUrl`);
  }
  const known = rawDetail?.errorCode ?? (rawDetail?.code ? rules.errorCodes[rawDetail.code] : undefined);
  if (!known) return outcomeForHttpStatus(status, providerName, provider);
  const message = `${providerName} refused the capture (HTTP ${status})`;
  return { status: 'failed', error: { code: known, message, ...(provider ? { provider } : {}) } };
}

// The longest brand the capture model keeps: the bound of the domain's own schema.
const MAX_BRAND_LENGTH = MaskedCardSchema.shape.brand.unwrap().maxLength ?? undefined;

/** The provider's card brand, redacted then cut to what the model keeps, for every provider in one place. */
function boundedCard(card: MaskedCard, secrets: readonly string[]): MaskedCard {
  const { brand: raw, ...digits } = card;
  const brand = raw ? redact(raw, secrets).slice(0, MAX_BRAND_LENGTH) : undefined;
  return { ...(brand ? { brand } : {}), ...digits };
}

/** A reading to an outcome. A success for another currency, or another amount than allowed, is `unknown`. */
export function outcomeFromReading(reading: CaptureReading, requested: Money | undefined, rules: OutcomeRules): CaptureOutcomeInput {
  const common = {
    references: reading.references ?? {},
    ...(reading.card ? { card: boundedCard(reading.card, rules.secrets) } : {}),
    ...(reading.authorisationClosed ? { authorisationClosed: true } : {}),
  };
  if (reading.status === 'pending') return { status: 'pending', ...common };
  if (reading.status === 'declined') {
    const provider = cleanProviderDetail(reading.provider, rules.secrets);
    const code =
      reading.provider?.errorCode ?? ((reading.provider?.code && rules.errorCodes[reading.provider.code]) || 'provider_declined');
    const message = `${rules.providerName} ${code === 'provider_declined' ? 'declined' : 'refused'} the capture`;
    return { status: 'failed', error: { code, message, ...(provider ? { provider } : {}) }, ...common };
  }
  const captured = reading.capturedAmount ?? requested;
  const mismatch = captured && requested ? amountMismatch(captured, requested, rules) : undefined;
  if (mismatch) return { status: 'unknown', error: mismatch, ...common };
  return { status: 'succeeded', ...(captured ? { capturedAmount: captured } : {}), ...common };
}

// The provider says it captured, but not what we asked: never a silent success.
function amountMismatch(captured: Money, requested: Money, rules: OutcomeRules) {
  const check = `; check the capture at ${rules.providerName}`;
  if (captured.currency !== requested.currency) {
    const message = `${rules.providerName} reports a capture in ${captured.currency}, not the ${requested.currency} asked for${check}`;
    return { code: 'currency_mismatch' as const, message };
  }
  const allowed = rules.capturedAmountMayBeLess ? captured.amount <= requested.amount : captured.amount === requested.amount;
  if (allowed) return undefined;
  const message = `${rules.providerName} reports capturing ${formatMoney(captured)}, not the ${formatMoney(requested)} asked for${check}`;
  return { code: 'amount_mismatch' as const, message };
}
