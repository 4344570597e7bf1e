import { type Money, fromDecimalString, toDecimalString } from '@capture-gateway/domain';
import {
  type ProviderSandbox,
  type SandboxReply,
  type SandboxRequest,
  type SandboxStartOptions,
  SILENCE,
  postWebhook,
  sandboxMagic,
  startSandboxServer,
} from '@capture-gateway/plugin-sdk/testing';
import {
  type SandboxCapture,
  type SandboxStatus,
  captureAnswer,
  capturedEvent,
  errorBody,
  newTransactionId,
} from './payengine.sandbox.payloads';
import { PAYENGINE_SIGNATURE_HEADER, signPayEngineWebhook } from './payengine.sandbox.signer';

export const SANDBOX_SECRET_KEY = 'sandbox-secret-key';
export const SANDBOX_WEBHOOK_SECRET = 'sandbox-webhook-secret';
export const SANDBOX_CAPTURE_PATH = '/api/payment/capture';
/** What an unseeded payment captured without an amount is taken to have authorised. */
export const SANDBOX_DEFAULT_AUTHORISED: Money = { amount: 10_000, currency: 'USD' };

/** How a seeded payment's capture ends; magic id prefixes override it. */
export type SandboxOutcome = 'pass' | 'decline' | 'pending';

/** The sandbox convention (`webhookUrl`), plus PayEngine's own fields. */
export interface PayEngineSandboxOptions extends SandboxStartOptions {
  /** The secret key it expects in `Authorization: Basic <secretKey>`. */
  secretKey?: string;
  /** Signs the deliveries to `webhookUrl` (default `SANDBOX_WEBHOOK_SECRET`). */
  webhookSecret?: string;
  /** How long after a `pending-` capture its PASS webhook is sent (default 200 ms). */
  webhookDelayMs?: number;
  /** The older spelling of `webhookUrl` + `webhookSecret` + `webhookDelayMs`, still accepted. */
  webhook?: { url: string; secret: string; delayMs?: number };
}

export interface PayEngineSandbox extends ProviderSandbox {
  /** `{ baseUrl, secretKey, webhookSecret }`: the sandbox convention. */
  readonly accountSettings: { baseUrl: string; secretKey: string; webhookSecret: string };
  /** The secret key the sandbox accepts (kept for callers written before `accountSettings`). */
  readonly credentials: string;
  /** Seeds an authorised payment (USD). `outcome` picks how its capture ends (default pass). */
  authorise(paymentId: string, money: Money, options?: { outcome?: SandboxOutcome }): void;
  /** Makes a payment id unknown (404), even though unseeded ids are otherwise accepted. */
  markUnknown(paymentId: string): void;
  /** Forgets seeded payments, captures, the counter and scheduled webhooks (not the webhook target). */
  reset(): void;
  /** Capture requests received at the capture path, refused ones included. */
  capturesReceived(): number;
  /** POSTs a signed PAYMENT_CAPTURED for a captured payment; resolves to the HTTP status it got. */
  sendWebhook(paymentId: string, status?: 'PASS' | 'FAIL'): Promise<number>;
  setWebhookTarget(url: string, secret: string): void;
}

interface Payment {
  authorised: Money;
  outcome: SandboxOutcome;
  capture?: SandboxCapture;
}

// The convention's magic ids, plus `pending-` for a 3-D Secure wait settled by a PASS webhook.
const MAGIC_REPLIES: Partial<Record<string, SandboxReply>> = {
  timeout: SILENCE,
  error: { status: 503, json: errorBody('service_unavailable', 'PayEngine sandbox is unavailable') },
  garbage: { status: 200, text: '<html><body>Bad gateway</body></html>' },
};
const magicOf = (id: string) => (id.startsWith('pending-') ? 'pending' : sandboxMagic(id));

const STATUS: Record<SandboxOutcome, SandboxStatus> = { pass: 'PASS', decline: 'FAIL', pending: 'PENDING_3DSAUTH' };
const AMOUNT = /^[0-9.]{1,12}$/;

interface CaptureBody {
  id: string;
  amount?: string;
  metadata?: unknown;
}

function readBody(body: unknown): CaptureBody | string {
  const { id, data = {} } = (body ?? {}) as { id?: unknown; data?: Record<string, unknown> };
  if (typeof id !== 'string' || id.length === 0) return '"id" is required';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return '"data" must be an object';
  for (const field of ['transaction_amount', 'pre_settlement_fee_charge', 'post_settlement_fee_charge']) {
    const value = data[field];
    if (value !== undefined && (typeof value !== 'string' || !AMOUNT.test(value) || !/^\d+(\.\d{1,2})?$/.test(value))) {
      return `data.${field} must be at most 12 characters of 0-9 and "."`;
    }
  }
  const metadata = data['metadata'];
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    return 'data.metadata must be a JSON object';
  }
  return { id, amount: data['transaction_amount'] as string | undefined, metadata };
}

/** A fake PayEngine capture endpoint for local runs, e2e tests and benchmarks. Never for production. */
export async function startPayEngineSandbox(options: PayEngineSandboxOptions = {}): Promise<PayEngineSandbox> {
  const credentials = options.secretKey ?? SANDBOX_SECRET_KEY;
  const payments = new Map<string, Payment>();
  const unknown = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let received = 0;
  let target = options.webhook ?? {
    url: options.webhookUrl ?? '',
    secret: options.webhookSecret ?? SANDBOX_WEBHOOK_SECRET,
    delayMs: options.webhookDelayMs,
  };

  async function deliver(paymentId: string, status: 'PASS' | 'FAIL'): Promise<number> {
    const payment = payments.get(paymentId);
    if (!target.url) throw new Error('The PayEngine sandbox has no webhook target; pass options.webhookUrl or call setWebhookTarget()');
    if (!payment?.capture) throw new Error(`The PayEngine sandbox has no capture of payment ${paymentId} to report`);
    payment.capture = { ...payment.capture, status };
    const raw = JSON.stringify(capturedEvent(payment.capture));
    return postWebhook(target.url, raw, { [PAYENGINE_SIGNATURE_HEADER]: signPayEngineWebhook(raw, target.secret) });
  }

  function schedulePassWebhook(paymentId: string): void {
    if (!target.url) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      // A failed delivery is the receiver's problem to show; the sandbox must not crash on it.
      deliver(paymentId, 'PASS').catch(() => undefined);
    }, target.delayMs ?? 200);
    timer.unref();
    timers.add(timer);
  }

  function capture(body: CaptureBody): SandboxReply {
    const magic = magicOf(body.id);
    const reply = magic && MAGIC_REPLIES[magic];
    if (reply) return reply;
    if (magic === 'notfound' || unknown.has(body.id)) {
      return { status: 404, json: errorBody('payment_not_found', `No authorised payment ${body.id}`) };
    }
    const requested = body.amount !== undefined ? fromDecimalString(body.amount, 'USD') : undefined;
    const payment = payments.get(body.id) ?? { authorised: requested ?? SANDBOX_DEFAULT_AUTHORISED, outcome: 'pass' };
    payments.set(body.id, payment);
    if (payment.capture) return { status: 409, json: errorBody('already_captured', `Payment ${body.id} is already captured`) };
    if (requested && requested.amount > payment.authorised.amount) {
      return {
        status: 422,
        json: errorBody('amount_exceeds_authorised', `Payment ${body.id} is authorised for ${toDecimalString(payment.authorised)} USD`),
      };
    }
    const outcome = magic === 'decline' || magic === 'pending' ? magic : payment.outcome;
    const amount = toDecimalString(requested ?? payment.authorised);
    const result: SandboxCapture = {
      paymentId: body.id,
      status: STATUS[outcome],
      amount,
      transactionId: newTransactionId(),
      metadata: body.metadata,
    };
    // A decline leaves the authorisation open; a pass or a 3-D Secure wait takes it.
    if (outcome !== 'decline') payment.capture = result;
    if (outcome === 'pending') schedulePassWebhook(body.id);
    return { status: 200, json: captureAnswer(result) };
  }

  function handle(request: SandboxRequest): SandboxReply {
    if (request.path !== SANDBOX_CAPTURE_PATH) return { status: 404, json: errorBody('not_found', `No route ${request.path}`) };
    if (request.method !== 'POST') return { status: 405, json: errorBody('method_not_allowed', 'Use POST') };
    received++;
    if (request.headers.authorization !== `Basic ${credentials}`) {
      return { status: 401, json: errorBody('unauthorized', 'Invalid or missing secret key') };
    }
    const body = readBody(request.body);
    if (typeof body === 'string') return { status: 400, json: errorBody('invalid_request', body) };
    return capture(body);
  }

  const server = await startSandboxServer(handle, { port: options.port, host: options.host });
  const clearTimers = () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  return {
    ...server,
    credentials,
    get accountSettings() {
      return { baseUrl: server.baseUrl, secretKey: credentials, webhookSecret: target.secret };
    },
    authorise(paymentId, money, seed = {}) {
      if (money.currency !== 'USD') throw new Error('The PayEngine sandbox authorises USD only');
      unknown.delete(paymentId);
      payments.set(paymentId, { authorised: money, outcome: seed.outcome ?? 'pass' });
    },
    markUnknown(paymentId) {
      payments.delete(paymentId);
      unknown.add(paymentId);
    },
    reset() {
      payments.clear();
      unknown.clear();
      clearTimers();
      received = 0;
    },
    capturesReceived: () => received,
    sendWebhook: (paymentId, status = 'PASS') => deliver(paymentId, status),
    setWebhookTarget(url, secret) {
      target = { ...target, url, secret };
    },
    async close() {
      clearTimers();
      await server.close();
    },
  };
}
