import { httpStatusOf } from '../errors/error-codes';
import type { CaptureOutcome } from './capture-outcome.schemas';

/** What kind of answer a provider gave to a capture, for its health: kept apart from the status, which may change later. */
export const PROVIDER_OUTCOMES = ['succeeded', 'pending', 'declined', 'error', 'timeout'] as const;
export type ProviderOutcome = (typeof PROVIDER_OUTCOMES)[number];

/**
 * Told apart by the domain's error codes: `provider_timeout` is a timeout; a failure whose code is a
 * 4xx (provider_declined, amount_exceeds_authorised, …) is the provider saying no, a decline; every
 * other failure or `unknown` (provider_unavailable, provider_auth_failed, an invalid answer, a plugin
 * that threw) is an error of the provider or its plugin.
 */
export function providerOutcomeOf(outcome: CaptureOutcome): ProviderOutcome {
  if (outcome.status === 'succeeded' || outcome.status === 'pending') return outcome.status;
  if (outcome.error.code === 'provider_timeout') return 'timeout';
  return outcome.status === 'failed' && httpStatusOf(outcome.error.code) < 500 ? 'declined' : 'error';
}

/** How long the provider took to give the first answer, and what kind of answer it was: its health. */
export interface ProviderAnswer {
  latencyMs: number;
  outcome: ProviderOutcome;
}
