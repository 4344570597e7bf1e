import type { CaptureRecord } from '@capture-gateway/domain';
import type { CaptureUpdate } from '@capture-gateway/plugin-sdk';
import type { CaptureStore } from '../persistence/captures.store';

export type CaptureMatch = { capture: CaptureRecord } | { refused: string };

/**
 * The capture a webhook update is about. An update that names the exact capture (our id, or the
 * provider's capture reference) is matched on it, so a provider that captures one authorisation
 * several times settles the right one; otherwise the latest live capture of the authorisation. An
 * update whose references contradict the capture they lead to is refused, never applied: it would
 * settle or overwrite another capture.
 */
export async function matchCapture(captures: CaptureStore, account: string, update: CaptureUpdate): Promise<CaptureMatch> {
  const reference = update.providerCaptureId ?? update.outcome.references?.captureId;
  const capture = update.captureId
    ? await captures.findById(update.captureId)
    : ((reference ? await captures.findByProviderCaptureId(account, reference) : undefined) ??
      (await captures.findLive(account, update.authorisationId)));
  if (!capture || capture.account !== account) {
    return {
      refused: update.captureId ? 'names a capture this account does not have' : 'names an authorisation we hold no live capture of',
    };
  }
  if (capture.authorisationId !== update.authorisationId) return { refused: "names another authorisation than its capture's" };
  const stored = capture.providerReferences.captureId;
  if (reference && stored && reference !== stored)
    return { refused: "carries a provider capture reference that contradicts the capture's" };
  return { capture };
}
