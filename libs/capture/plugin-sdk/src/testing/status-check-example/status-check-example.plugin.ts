import { z } from 'zod';
import type { HttpCaptureContext } from '../../lib/http/http-capture.types';
import { requiredAmount } from '../../lib/capability-check';
import { defineHttpCapturePlugin } from '../../lib/http/http-capture.plugin';
import type { CaptureReading } from '../../lib/http/capture-reading.mapper';
import { secret } from '../../lib/secrets';
import { CAPTURE_PATH, type Capture, CaptureSchema, ErrorBodySchema, NOT_FOUND_CODE, statusPath } from './status-check-example.schemas';

// The same reading for a capture's answer and a status check's: one body, one set of rules.
function readCapture(body: Capture, { money }: HttpCaptureContext<unknown>): CaptureReading {
  const common = { references: { captureId: body.capture_ref }, ...(body.card ? { card: body.card } : {}) };
  if (body.state === 'declined') return { status: 'declined', provider: body.decline, ...common };
  return { status: 'succeeded', capturedAmount: money.fromMinorUnitInteger(body.amount.value, body.amount.currency), ...common };
}

/** A test plugin for the conformance kit's status checks: a synchronous provider with a status endpoint. */
export const statusCheckExamplePlugin = defineHttpCapturePlugin({
  id: 'status-check-example',
  displayName: 'StatusCheckExample',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url(), apiKey: secret(z.string().regex(/^sc_\w+$/), 'API key, sent as x-api-key') }),
  capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: false, currencies: 'any' },
  path: CAPTURE_PATH,
  headers: (config) => ({ 'x-api-key': config.apiKey }),
  toWire: (request, { money }) => {
    const amount = requiredAmount(request);
    return {
      payment_id: request.authorisationId,
      amount: { value: money.toMinorUnitInteger(amount), currency: amount.currency },
      reference: request.captureId,
    };
  },
  answerSchema: CaptureSchema,
  readAnswer: readCapture,
  errorSchema: ErrorBodySchema,
  readError: (body) => body.error,
  errorCodes: { do_not_honour: 'provider_declined', unknown_payment: 'authorisation_not_found', bad_key: 'provider_auth_failed' },
  // The provider finds a capture by the reference we sent, so a capture whose answer was lost is found too.
  statusCheck: {
    // The skeleton checks and percent-encodes the id: an unsafe capture id is never sent.
    path: (_request, { ids }) => statusPath(ids.captureId),
    schema: CaptureSchema,
    read: readCapture,
    notReceivedStatus: 404,
    notReceivedCodes: [NOT_FOUND_CODE],
  },
});
