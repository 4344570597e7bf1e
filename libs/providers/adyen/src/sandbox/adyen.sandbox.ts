import { type Money, toMinorUnitInteger } from '@capture-gateway/domain';
import {
  type ProviderSandbox,
  type SandboxReply,
  type SandboxRequest,
  type SandboxStartOptions,
  SILENCE,
  deliverWebhook,
  sandboxMagic,
  startSandboxServer,
} from '@capture-gateway/plugin-sdk/testing';
import { ADYEN_MINOR_UNITS } from '../lib/adyen.currencies';
import { type CaptureBody, type SandboxItem, captureReceived, newPspReference, serviceError } from './adyen.sandbox.payloads';
import { type SandboxDelivery, createNotifier } from './adyen.sandbox.notifier';

export const SANDBOX_API_KEY = 'AQE_sandbox_capture_gateway_0123456789';
export const SANDBOX_MERCHANT_ACCOUNT = 'CaptureGatewayECOM';
/** 64 bytes, in hex as the Customer Area shows an HMAC key. */
export const SANDBOX_HMAC_KEY =
  '35C03E5A86DAE5A74AD08D5204C0B903F6919AF7C073363A00C615882A3A87A355B2067052282D8E61805908571CE06A88B4C18835114B88E74753254CB9907A';

/** The sandbox convention (`webhookUrl`), plus Adyen's own fields. */
export interface AdyenSandboxOptions extends SandboxStartOptions {
  apiKey?: string;
  merchantAccount?: string;
  hmacKey?: string;
  /** How long notifications wait to be sent together in one batch (default 50 ms). */
  batchMs?: number;
  /** false: a partial capture cancels the rest, as on an account without multiple partial captures. */
  multiplePartialCaptures?: boolean;
}

export interface AdyenSandbox extends ProviderSandbox {
  readonly accountSettings: { baseUrl: string; apiKey: string; merchantAccount: string; hmacKey: string };
  /** Seeds a payment authorised for `money` (ISO minor units, held as Adyen writes them). */
  authorise(pspReference: string, money: Money): void;
  /** Makes a payment unknown (422 `167`), though unseeded ones are otherwise authorised. */
  markUnknown(pspReference: string): void;
  /** Makes Adyen answer a request with this idempotency key `704` (an earlier attempt still in progress). */
  keyInProgress(idempotencyKey: string): void;
  /** Captures performed on a payment (not requests: a replayed key performs nothing). */
  capturesOf(pspReference: string): number;
  /** Every notification batch sent, with the answer it got. */
  notificationsSent(): readonly SandboxDelivery[];
  /** Keeps notifications back until `flushNotifications()`, which sends all of them in one batch. */
  holdNotifications(): void;
  flushNotifications(): Promise<SandboxDelivery | undefined>;
  /** Signs and sends a batch of these items now; the items at `tamper` are altered after signing. */
  sendNotifications(items: SandboxItem[], options?: { tamper?: number[] }): Promise<SandboxDelivery>;
  setWebhookTarget(url: string): void;
}

interface Payment {
  /** In Adyen's minor units. */
  value: number;
  currency: string;
  captured: number;
  captures: number;
}

const noSuchPayment = serviceError(422, '167', 'Original pspReference required for this operation', 'validation');

/**
 * A fake Adyen Checkout API (captures) and its notifications, for local runs, e2e tests and benchmarks.
 * A capture is answered 201 `received`; its CAPTURE notification follows in a signed batch.
 */
export async function startAdyenSandbox(options: AdyenSandboxOptions = {}): Promise<AdyenSandbox> {
  const apiKey = options.apiKey ?? SANDBOX_API_KEY;
  const merchantAccount = options.merchantAccount ?? SANDBOX_MERCHANT_ACCOUNT;
  const hmacKey = options.hmacKey ?? SANDBOX_HMAC_KEY;
  const payments = new Map<string, Payment>();
  const unknown = new Set<string>();
  // Adyen answers a key it has seen with the first answer, and performs nothing.
  const keys = new Map<string, SandboxReply>();
  const inProgress = new Set<string>();
  const notifier = createNotifier({
    hmacKey,
    webhookUrl: options.webhookUrl ?? '',
    batchMs: options.batchMs ?? 50,
    deliver: deliverWebhook,
  });
  let received = 0;

  function paymentFor(psp: string, amount: CaptureBody['amount']): Payment {
    const existing = payments.get(psp);
    if (existing) return existing;
    const created = { value: amount.value, currency: amount.currency, captured: 0, captures: 0 };
    payments.set(psp, created);
    return created;
  }

  // What Adyen decides after "received": the CAPTURE notification's success and reason.
  function settle(psp: string, payment: Payment, amount: CaptureBody['amount']): { success: boolean; reason?: string } {
    if (sandboxMagic(psp) === 'decline') return { success: false, reason: 'Refused' };
    if (amount.currency !== payment.currency) return { success: false, reason: 'Modification in different currency than authorisation' };
    const closed = options.multiplePartialCaptures === false && payment.captures > 0;
    if (closed || amount.value > payment.value - payment.captured) return { success: false, reason: 'Insufficient balance on payment' };
    payment.captured += amount.value;
    payment.captures++;
    return { success: true };
  }

  function perform(psp: string, body: CaptureBody): { status: number; json: unknown } {
    const payment = paymentFor(psp, body.amount);
    const pspReference = newPspReference();
    const { success, reason } = settle(psp, payment, body.amount);
    const item: SandboxItem = {
      pspReference,
      originalReference: psp,
      merchantAccountCode: merchantAccount,
      merchantReference: body.reference ?? '',
      amount: body.amount,
      eventCode: 'CAPTURE',
      success: success ? 'true' : 'false',
      ...(reason ? { reason } : {}),
    };
    notifier.queue(item, { tamper: psp.startsWith('tampered-') });
    // Accepted, then refused by the card scheme: the capture is undone and CAPTURE_FAILED follows.
    if (success && psp.startsWith('capturefailed-')) {
      payment.captured -= body.amount.value;
      notifier.later({ ...item, eventCode: 'CAPTURE_FAILED', success: 'true', reason: 'Capture Failed' });
    }
    return { status: 201, json: captureReceived(psp, pspReference, body) };
  }

  function capture(request: SandboxRequest, psp: string): SandboxReply {
    const key = header(request, 'idempotency-key');
    const echo: Record<string, string> = key ? { 'idempotency-key': key } : {};
    if (key && inProgress.has(key)) {
      return { status: 422, json: serviceError(422, '704', 'request already processed or in progress', 'validation') };
    }
    const saved = key ? keys.get(key) : undefined;
    if (saved) return saved;
    const body = readBody(request.body, merchantAccount);
    if ('status' in body) return body;
    const magic = sandboxMagic(psp);
    if (magic === 'error') return { status: 500, json: serviceError(500, '903', 'Internal error', 'internal') };
    if (magic === 'notfound' || unknown.has(psp)) return { status: 422, json: noSuchPayment };
    if (magic === 'garbage') return { status: 201, text: '<html><body>Received?</body></html>', headers: { 'content-type': 'text/html' } };
    const answered: SandboxReply = { ...perform(psp, body), headers: echo };
    if (key) keys.set(key, answered);
    // Performed and saved for its key; the answer never reaches the client.
    return magic === 'timeout' ? SILENCE : answered;
  }

  function handle(request: SandboxRequest): SandboxReply {
    const route = /^\/v71\/payments\/([^/]+)\/captures$/.exec(request.path);
    if (!route?.[1] || request.method !== 'POST') return { status: 404, text: 'Not Found' };
    received++;
    if (header(request, 'x-api-key') !== apiKey) {
      return { status: 401, json: serviceError(401, '000', 'HTTP Status Response - Unauthorized', 'security') };
    }
    return capture(request, decodeURIComponent(route[1]));
  }

  const server = await startSandboxServer(handle, { port: options.port, host: options.host });
  return {
    ...server,
    get accountSettings() {
      return { baseUrl: server.baseUrl, apiKey, merchantAccount, hmacKey };
    },
    authorise(psp, money) {
      unknown.delete(psp);
      payments.set(psp, { value: toMinorUnitInteger(money, ADYEN_MINOR_UNITS), currency: money.currency, captured: 0, captures: 0 });
    },
    keyInProgress(key) {
      inProgress.add(key);
    },
    markUnknown(psp) {
      payments.delete(psp);
      unknown.add(psp);
    },
    capturesOf: (psp) => payments.get(psp)?.captures ?? 0,
    capturesReceived: () => received,
    notificationsSent: () => notifier.sent,
    holdNotifications: () => notifier.hold(),
    flushNotifications: () => notifier.flush(),
    sendNotifications: (items, sent = {}) => notifier.send(items, sent.tamper ?? []),
    setWebhookTarget: (url) => notifier.target(url),
    reset() {
      payments.clear();
      unknown.clear();
      keys.clear();
      inProgress.clear();
      notifier.reset();
      received = 0;
    },
    async close() {
      notifier.reset();
      await server.close();
    },
  };
}

/** The capture request, or the error Adyen answers for it before anything is performed. */
function readBody(body: unknown, merchantAccount: string): CaptureBody | { status: number; json: unknown } {
  if (!body || typeof body !== 'object')
    return { status: 400, json: serviceError(400, '702', 'Unexpected input: expected {', 'validation') };
  const { merchantAccount: account, amount, reference } = body as Record<string, unknown>;
  if (account !== merchantAccount) return { status: 403, json: serviceError(403, '901', 'Invalid Merchant Account', 'security') };
  if (amount === undefined)
    return { status: 422, json: serviceError(422, '100', "Required object 'amount' is not provided.", 'validation') };
  const { value, currency } = (amount ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return { status: 422, json: serviceError(422, '137', "Field 'amount' is not valid.", 'validation') };
  }
  if (reference !== undefined && (typeof reference !== 'string' || reference.length > 80)) {
    return { status: 422, json: serviceError(422, '29_001', "Field 'reference' may not exceed 80 characters.", 'validation') };
  }
  return { merchantAccount, amount: { value: value as number, currency }, ...(reference !== undefined ? { reference } : {}) };
}

function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
