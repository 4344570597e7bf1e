import type { ErrorCode } from '../errors/error-codes';
import type { CaptureOutcome } from './capture-outcome.schemas';
import { providerOutcomeOf } from './provider-outcome';

const failed = (code: ErrorCode): CaptureOutcome => ({ status: 'failed', error: { code, message: code }, references: {} });
const unknown = (code: ErrorCode): CaptureOutcome => ({ status: 'unknown', error: { code, message: code }, references: {} });

describe('providerOutcomeOf', () => {
  it('keeps success and pending as they are', () => {
    expect(providerOutcomeOf({ status: 'succeeded', references: {} })).toBe('succeeded');
    expect(providerOutcomeOf({ status: 'pending', references: {} })).toBe('pending');
  });

  it('calls a provider timeout a timeout, failed or unknown', () => {
    expect(providerOutcomeOf(unknown('provider_timeout'))).toBe('timeout');
    expect(providerOutcomeOf(failed('provider_timeout'))).toBe('timeout');
  });

  it("calls the provider's refusals declines", () => {
    for (const code of ['provider_declined', 'amount_exceeds_authorised', 'authorisation_not_found', 'currency_mismatch'] as const) {
      expect(providerOutcomeOf(failed(code))).toBe('declined');
    }
  });

  it('calls the rest errors: the provider down, its auth, an invalid answer, a plugin that threw, any unknown', () => {
    for (const code of ['provider_unavailable', 'provider_auth_failed', 'provider_response_invalid', 'internal_error'] as const) {
      expect(providerOutcomeOf(failed(code))).toBe('error');
      expect(providerOutcomeOf(unknown(code))).toBe('error');
    }
    expect(providerOutcomeOf(unknown('provider_declined'))).toBe('error');
  });
});
