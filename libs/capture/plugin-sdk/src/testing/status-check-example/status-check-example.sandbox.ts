import { randomUUID } from 'node:crypto';
import { type SandboxReply, type SandboxRequest, startSandboxServer } from '../sandbox-server';
import { type ProviderSandbox, type SandboxStartOptions, SILENCE, sandboxMagic } from '../sandbox-conventions';
import { CAPTURE_PATH, type Capture, CaptureRequestSchema, NOT_FOUND_CODE, statusPath } from './status-check-example.schemas';

export const STATUS_CHECK_EXAMPLE_CARD = '4000056655665556';

export interface StatusCheckExampleSandbox extends ProviderSandbox {
  readonly accountSettings: { baseUrl: string; apiKey: string };
}

const STATUS_PREFIX = statusPath('');

/**
 * The status-check example provider: answers a capture at once, and remembers what each capture
 * came to under the reference it was sent with, for `GET v1/captures/by-reference/:reference`
 * (404 `capture_not_found` for one it never received). A capture whose authorisation picked
 * `timeout-`, `error-` or `garbage-` is received, and its status check answers the same way.
 */
export async function startStatusCheckExampleSandbox(options: SandboxStartOptions = {}): Promise<StatusCheckExampleSandbox> {
  const apiKey = 'sc_sandbox';
  const byReference = new Map<string, { paymentId: string; answer?: Capture }>();
  const captured = new Set<string>();
  let received = 0;

  const magicReply = (paymentId: string): SandboxReply | undefined => {
    const magic = sandboxMagic(paymentId);
    if (magic === 'timeout') return SILENCE;
    if (magic === 'error') return { status: 503, json: { error: { code: 'unavailable' } } };
    if (magic === 'garbage') return { status: 200, text: '<html>maintenance</html>' };
    return undefined;
  };

  function capture(request: SandboxRequest): SandboxReply {
    received++;
    const body = CaptureRequestSchema.safeParse(request.body);
    if (!body.success) return { status: 400, json: { error: { code: 'invalid', message: 'Not a capture request' } } };
    const { payment_id, amount, reference } = body.data;
    byReference.set(reference, { paymentId: payment_id });
    const magic = magicReply(payment_id);
    if (magic) return magic;
    if (sandboxMagic(payment_id) === 'notfound') return { status: 404, json: { error: { code: 'unknown_payment' } } };
    if (captured.has(payment_id)) return { status: 409, json: { error: { code: 'already_captured' } } };
    const declined = sandboxMagic(payment_id) === 'decline';
    if (!declined) captured.add(payment_id);
    const answer: Capture = {
      capture_ref: `sc_${randomUUID()}`,
      reference,
      state: declined ? 'declined' : 'captured',
      amount,
      ...(declined ? { decline: { code: 'do_not_honour', message: `Card ${STATUS_CHECK_EXAMPLE_CARD} declined` } } : {}),
      card: { last4: STATUS_CHECK_EXAMPLE_CARD.slice(-4) },
    };
    byReference.set(reference, { paymentId: payment_id, answer });
    return { status: 201, json: answer };
  }

  function status(reference: string): SandboxReply {
    const known = byReference.get(reference);
    if (!known) return { status: 404, json: { error: { code: NOT_FOUND_CODE, message: `No capture with reference ${reference}` } } };
    return (
      magicReply(known.paymentId) ??
      (known.answer ? { status: 200, json: known.answer } : { status: 404, json: { error: { code: 'unknown_payment' } } })
    );
  }

  function handle(request: SandboxRequest): SandboxReply {
    const isCapture = request.method === 'POST' && request.path === `/${CAPTURE_PATH}`;
    const isStatus = request.method === 'GET' && request.path.startsWith(`/${STATUS_PREFIX}`);
    if (!isCapture && !isStatus) return { status: 404, text: 'Not Found' };
    if (request.headers['x-api-key'] !== apiKey) {
      if (isCapture) received++;
      return { status: 401, json: { error: { code: 'bad_key' } } };
    }
    return isCapture ? capture(request) : status(decodeURIComponent(request.path.slice(STATUS_PREFIX.length + 1)));
  }

  const server = await startSandboxServer(handle, options);
  return {
    ...server,
    accountSettings: { baseUrl: server.baseUrl, apiKey },
    reset: () => {
      byReference.clear();
      captured.clear();
      received = 0;
    },
    capturesReceived: () => received,
  };
}
