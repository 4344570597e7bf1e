import type { CaptureCheck, CaptureCheckRequest, CaptureProvider } from '../lib/plugin.contract';
import { STATUS_CHECK_RULES, type SentCapture, collectStatusChecks } from './conformance-status-check';

// The kit's status-check rules against plugins that get it wrong: each must be caught.
const usd = { amount: 15000, currency: 'USD' };
const sent = new Map<string, SentCapture>([
  [
    'success',
    {
      request: { captureId: 'cap_ok', authorisationId: 'ok', amount: usd, options: undefined },
      outcome: { status: 'succeeded', capturedAmount: usd, references: {} },
    },
  ],
  [
    'decline',
    {
      request: { captureId: 'cap_no', authorisationId: 'decline-1', amount: usd, options: undefined },
      outcome: { status: 'failed', error: { code: 'provider_declined', message: 'no' }, references: {} },
    },
  ],
]);

// A fake plugin's provider: `check` gets the base URL it was created for, as a real one would reach it.
type Check = (request: CaptureCheckRequest, baseUrl: string) => Promise<CaptureCheck>;

async function problemsOf(check: Check | undefined): Promise<string[]> {
  const providerFor = (baseUrl: string): CaptureProvider => ({
    capture: async () => ({ status: 'pending' }),
    ...(check ? { checkCapture: (request: CaptureCheckRequest) => check(request, baseUrl) } : {}),
  });
  const findings = await collectStatusChecks({
    providerFor,
    sandboxBaseUrl: 'http://sandbox.test',
    refusedBaseUrl: 'http://refused.test',
    sent,
  });
  return STATUS_CHECK_RULES.map((rule) => rule.problem(findings)).filter((p): p is string => p !== undefined);
}

describe('the conformance kit’s status-check rules', () => {
  it('fail a plugin that declares statusCheck without checkCapture', async () => {
    expect(await problemsOf(undefined)).toContain('the plugin declares capabilities.statusCheck but its provider has no checkCapture');
  });

  it('fail a plugin that finds every capture, even one never sent and one it could not reach', async () => {
    const problems = await problemsOf(async () => ({ status: 'found', outcome: { status: 'succeeded', capturedAmount: usd } }));
    expect(problems.join('\n')).toContain('a capture never sent checked found');
    expect(problems.join('\n')).toContain('checkRefused checked found');
  });

  it('fail a plugin that says not_received when it cannot know', async () => {
    const problems = await problemsOf(async () => ({ status: 'not_received' }));
    expect(problems.join('\n')).toContain('the success capture checked not_received');
    expect(problems.join('\n')).toContain('checkBare404 checked not_received');
  });

  it('pass a plugin that finds what was sent and cannot tell about the rest', async () => {
    const check: Check = async (request, baseUrl) =>
      baseUrl === 'http://sandbox.test' && request.captureId === 'cap_ok'
        ? { status: 'found', outcome: { status: 'succeeded', capturedAmount: usd } }
        : { status: 'cannot_tell' };
    expect(await problemsOf(check)).toEqual([]);
  });
});
