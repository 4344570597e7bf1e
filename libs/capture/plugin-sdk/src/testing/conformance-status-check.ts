import { CaptureOutcomeSchema, type CaptureOutcome } from '@capture-gateway/domain';
import type { CaptureCheck, CaptureCheckRequest, CaptureProvider, ProviderCaptureRequest } from '../lib/plugin.contract';
import { type SandboxReply, startSandboxServer } from './sandbox-server';

/** A capture the kit sent, as sent, with the outcome it came to (a webhook's, in async mode). */
export interface SentCapture {
  request: ProviderCaptureRequest;
  outcome: CaptureOutcome;
}

/** What the kit's status checks found; `implemented` false when the plugin declares statusCheck without checkCapture. */
export interface StatusCheckFindings {
  implemented: boolean;
  checks: Map<string, CaptureCheck>;
  /** The scenarios' requests, for the expected amounts. */
  sent: Map<string, SentCapture>;
}

// Stand-ins for a provider that does not answer well: none of these can ever be certain.
const NO_CERTAINTY: Record<string, SandboxReply> = {
  checkTimeout: { silence: true },
  checkServerError: { status: 503, text: 'Service Unavailable' },
  checkGarbage: { status: 200, text: '<html>maintenance</html>' },
  checkBare404: { status: 404, text: 'Not Found' },
};

/** The authorisation and capture id of a capture the kit never sends. */
export const NEVER_SENT = { captureId: 'cap_conformanceneversent', authorisationId: 'conformance-never-sent' };

/**
 * Runs the status checks of a plugin that declares `statusCheck`, after the scenarios: the
 * success and the decline as the sandbox knows them, a capture never sent, a refused connection,
 * and stand-ins that time out, answer 503, garbage, or a bare 404.
 */
export async function collectStatusChecks(input: {
  providerFor(baseUrl: string, name: string): CaptureProvider;
  sandboxBaseUrl: string;
  refusedBaseUrl: string;
  sent: Map<string, SentCapture>;
}): Promise<StatusCheckFindings> {
  const checks = new Map<string, CaptureCheck>();
  const findings = { implemented: true, checks, sent: input.sent };
  const check = async (name: string, request: CaptureCheckRequest, baseUrl = input.sandboxBaseUrl) => {
    const provider = input.providerFor(baseUrl, name);
    if (!provider.checkCapture) return false;
    try {
      checks.set(name, await provider.checkCapture(request, { requestId: `req_conformance_${name}` }));
    } finally {
      await provider.close?.();
    }
    return true;
  };
  const success = input.sent.get('success');
  if (!success) throw new Error('the success scenario did not run');
  findings.implemented = await check('checkSuccess', checkRequestOf(success));
  if (!findings.implemented) return findings;
  const decline = input.sent.get('decline');
  if (decline) await check('checkDecline', checkRequestOf(decline));
  await check('checkNeverSent', { ...NEVER_SENT, ...(success.request.amount ? { amount: success.request.amount } : {}) });
  await check('checkRefused', checkRequestOf(success), input.refusedBaseUrl);
  let next: SandboxReply = { status: 500 };
  const standIn = await startSandboxServer(() => next);
  try {
    for (const [name, reply] of Object.entries(NO_CERTAINTY)) {
      next = reply;
      await check(name, checkRequestOf(success), standIn.baseUrl);
    }
  } finally {
    await standIn.close();
  }
  return findings;
}

/** The check the service's reconciler would make of a capture: our id, the provider's reference, the amount. */
export function checkRequestOf({ request, outcome }: SentCapture): CaptureCheckRequest {
  return {
    captureId: request.captureId,
    authorisationId: request.authorisationId,
    ...(outcome.references.captureId ? { providerCaptureId: outcome.references.captureId } : {}),
    ...(request.amount ? { amount: request.amount } : {}),
  };
}

/** One rule of the kit about status checks: a title, and what is wrong (undefined: nothing). */
export interface StatusCheckRule {
  title: string;
  problem(findings: StatusCheckFindings): string | undefined;
}

const describeCheck = (check: CaptureCheck | undefined) =>
  !check ? 'no check was made' : check.status === 'found' ? `found ${JSON.stringify(check.outcome)}` : check.status;

const outcomeOf = (check: CaptureCheck | undefined) => {
  if (check?.status !== 'found') return undefined;
  const parsed = CaptureOutcomeSchema.safeParse(check.outcome);
  return parsed.success ? parsed.data : undefined;
};

export const STATUS_CHECK_RULES: readonly StatusCheckRule[] = [
  {
    title: 'implements checkCapture, as it declares statusCheck',
    problem: (f) => (f.implemented ? undefined : 'the plugin declares capabilities.statusCheck but its provider has no checkCapture'),
  },
  {
    title: 'checks the success capture: found, succeeded for its amount',
    problem: ({ checks, sent }) => {
      const check = checks.get('checkSuccess');
      const outcome = outcomeOf(check);
      const amount = sent.get('success')?.request.amount;
      if (outcome?.status !== 'succeeded') return `the success capture checked ${describeCheck(check)}, not found succeeded`;
      if (amount && JSON.stringify(outcome.capturedAmount) !== JSON.stringify(amount)) {
        return `the success capture checked found for ${JSON.stringify(outcome.capturedAmount)}, not ${JSON.stringify(amount)}`;
      }
      return undefined;
    },
  },
  {
    title: 'checks the declined capture: found, failed with provider_declined, or cannot_tell',
    problem: ({ checks }) => {
      const check = checks.get('checkDecline');
      if (check?.status === 'cannot_tell') return undefined;
      const outcome = outcomeOf(check);
      if (outcome?.status === 'failed' && outcome.error.code === 'provider_declined') return undefined;
      return `the declined capture checked ${describeCheck(check)}`;
    },
  },
  {
    title: 'checks a capture never sent: not_received or cannot_tell, never found',
    problem: ({ checks }) => {
      const check = checks.get('checkNeverSent');
      return check?.status === 'not_received' || check?.status === 'cannot_tell'
        ? undefined
        : `a capture never sent checked ${describeCheck(check)}`;
    },
  },
  {
    title: 'cannot tell when the provider is unreachable, silent past the timeout, answers 503, garbage or a bare 404',
    problem: ({ checks }) => {
      const wrong = ['checkRefused', ...Object.keys(NO_CERTAINTY)].filter((name) => checks.get(name)?.status !== 'cannot_tell');
      return wrong.length === 0 ? undefined : wrong.map((name) => `${name} checked ${describeCheck(checks.get(name))}`).join('; ');
    },
  },
];
