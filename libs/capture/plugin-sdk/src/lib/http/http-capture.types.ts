import type { CaptureOutcomeInput, Money, MoneyConversions } from '@capture-gateway/domain';
import type { CaptureReading } from './capture-reading.mapper';
import type { PathIds } from './provider-path';

/** What the skeleton hands a provider's functions: the account's config and its money conversions. */
export interface HttpCaptureContext<TConfig> {
  config: TConfig;
  /** The domain's conversions at this provider's exponents (its `minorUnits`). */
  money: MoneyConversions;
}

/** What a provider's webhook handler gets besides the delivery. */
export interface HttpWebhookContext<TConfig> extends HttpCaptureContext<TConfig> {
  /** Values never to let out: the account's `secret()` fields. */
  secrets: readonly string[];
  /** The same reading-to-outcome rules as the capture answer: codes, redaction, amounts. */
  outcomeOf(reading: CaptureReading, requested?: Money): CaptureOutcomeInput;
}

/** What a path function gets: the context, and the request's ids checked and percent-encoded as path segments. */
export interface HttpPathContext<TConfig> extends HttpCaptureContext<TConfig> {
  /** Reading one refuses an unsafe id (`invalid_request`, named by its field): use these, never the raw request's. */
  ids: PathIds;
}
