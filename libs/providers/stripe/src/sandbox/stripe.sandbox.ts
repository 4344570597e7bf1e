import { type Money, toMinorUnitInteger } from '@capture-gateway/domain';
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
import { STRIPE_MINOR_UNITS } from '../lib/stripe.currencies';
import { createIdempotencyStore, fingerprintOf } from './stripe.sandbox.idempotency';
import {
  type SandboxError,
  type SandboxIntent,
  chargeObject,
  errorBody,
  eventObject,
  newChargeId,
  paymentIntentObject,
} from './stripe.sandbox.payloads';
import { STRIPE_SIGNATURE_HEADER, signStripeWebhook } from './stripe.sandbox.signer';

export const SANDBOX_SECRET_KEY = 'sk_test_sandbox0123456789abcdef';
export const SANDBOX_WEBHOOK_SECRET = 'whsec_sandbox0123456789abcdef';
/** What an unseeded intent captured without an amount is taken to have authorised. */
export const SANDBOX_DEFAULT_AUTHORISED = { amount: 10_000, currency: 'usd' };

/** The sandbox convention (`webhookUrl`), plus Stripe's own fields. */
export interface StripeSandboxOptions extends SandboxStartOptions {
  secretKey?: string;
  webhookSecret?: string;
  /** How long after a `pending-` capture its `payment_intent.succeeded` is sent (default 200 ms). */
  webhookDelayMs?: number;
}

export type StripeEventType = 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled' | 'charge.captured';

export interface StripeSandbox extends ProviderSandbox {
  readonly accountSettings: { baseUrl: string; secretKey: string; webhookSecret: string };
  /** Seeds a PaymentIntent awaiting capture of `money` (ISO minor units, written as Stripe writes them). */
  authorise(intentId: string, money: Money, options?: { status?: 'requires_capture' | 'succeeded' | 'canceled'; decline?: boolean }): void;
  /** Makes an intent id unknown (404 `resource_missing`), though unseeded ids are otherwise authorised. */
  markUnknown(intentId: string): void;
  /** The PaymentIntent as `GET /v1/payment_intents/{id}` would answer it, if it exists. */
  intent(intentId: string): ReturnType<typeof paymentIntentObject> | undefined;
  /** Captures performed on an intent (not requests: a replayed key performs nothing). */
  capturesOf(intentId: string): number;
  /** POSTs a signed event about an intent to `webhookUrl`; resolves to the HTTP status it got. */
  sendWebhook(type: StripeEventType, intentId: string, options?: { secret?: string }): Promise<number>;
  setWebhookTarget(url: string): void;
}

const unexpectedState = (intent: SandboxIntent): SandboxError => ({
  type: 'invalid_request_error',
  code: 'payment_intent_unexpected_state',
  message: `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
  payment_intent: paymentIntentObject(intent),
});
const invalid = (code: string, message: string, param?: string): SandboxReply => ({
  status: 400,
  json: errorBody({ type: 'invalid_request_error', code, message, ...(param ? { param } : {}) }),
});

/** The capture's parameters, or why Stripe would refuse them before executing. */
function readParams(params: URLSearchParams): { amount?: number; final: boolean; metadata: Record<string, string> } | SandboxReply {
  const metadata: Record<string, string> = {};
  let amount: number | undefined;
  let final = true;
  for (const [key, value] of params) {
    const meta = /^metadata\[([^[\]]+)\]$/.exec(key);
    if (meta?.[1]) metadata[meta[1]] = value;
    else if (key === 'amount_to_capture') {
      if (!/^[1-9]\d{0,7}$/.test(value)) return invalid('parameter_invalid_integer', 'Invalid positive integer', key);
      amount = Number(value);
    } else if (key === 'final_capture') final = value !== 'false';
    else if (!/^expand\[\d*\]$/.test(key)) return invalid('parameter_unknown', `Received unknown parameter: ${key}`, key);
  }
  return { ...(amount !== undefined ? { amount } : {}), final, metadata };
}

/** A fake Stripe PaymentIntents API (capture, retrieve, events) for local runs, e2e tests and benchmarks. */
export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  const secretKey = options.secretKey ?? SANDBOX_SECRET_KEY;
  const webhookSecret = options.webhookSecret ?? SANDBOX_WEBHOOK_SECRET;
  let webhookUrl = options.webhookUrl ?? '';
  const intents = new Map<string, SandboxIntent>();
  const unknown = new Set<string>();
  const declining = new Set<string>();
  const captures = new Map<string, number>();
  const keys = createIdempotencyStore();
  const timers = new Set<NodeJS.Timeout>();
  let received = 0;

  function intentFor(id: string, amount?: number): SandboxIntent | undefined {
    if (unknown.has(id) || sandboxMagic(id) === 'notfound') return undefined;
    const existing = intents.get(id);
    if (existing) return existing;
    const { currency } = SANDBOX_DEFAULT_AUTHORISED;
    const created: SandboxIntent = {
      id,
      amount: amount ?? SANDBOX_DEFAULT_AUTHORISED.amount,
      amountReceived: 0,
      currency,
      status: 'requires_capture',
      latestCharge: newChargeId(),
      lastPaymentError: null,
      metadata: {},
      created: Math.floor(Date.now() / 1000),
    };
    intents.set(id, created);
    return created;
  }

  async function deliver(type: StripeEventType, intentId: string, secret = webhookSecret): Promise<number> {
    const intent = intents.get(intentId);
    if (!webhookUrl) throw new Error('The Stripe sandbox has no webhook target; pass options.webhookUrl or call setWebhookTarget()');
    if (!intent) throw new Error(`The Stripe sandbox has no PaymentIntent ${intentId} to report`);
    const object = type === 'charge.captured' ? chargeObject(intent) : paymentIntentObject(intent);
    const raw = JSON.stringify(eventObject(type, object));
    return postWebhook(webhookUrl, raw, { [STRIPE_SIGNATURE_HEADER]: signStripeWebhook(raw, secret) });
  }

  // A `pending-` capture is processing; it succeeds a moment later, and Stripe says so by event.
  function settleLater(intent: SandboxIntent, amount: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      Object.assign(intent, { status: 'succeeded', amountReceived: amount });
      if (webhookUrl) deliver('payment_intent.succeeded', intent.id).catch(() => undefined);
    }, options.webhookDelayMs ?? 200);
    timer.unref();
    timers.add(timer);
  }

  // Executes a capture: what Stripe saves for the key, whatever reaches the client.
  function execute(id: string, params: { amount?: number; final: boolean; metadata: Record<string, string> }): SandboxReply {
    const magic = sandboxMagic(id);
    if (magic === 'error') return { status: 500, json: errorBody({ type: 'api_error', message: 'An unknown error occurred' }) };
    const intent = intentFor(id, params.amount);
    if (!intent)
      return {
        status: 404,
        json: errorBody({
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such payment_intent: '${id}'`,
          param: 'intent',
        }),
      };
    if (intent.status !== 'requires_capture') return { status: 400, json: errorBody(unexpectedState(intent)) };
    const capturable = intent.amount - intent.amountReceived;
    const amount = params.amount ?? capturable;
    if (amount > capturable)
      return invalid(
        'amount_too_large',
        `The amount to capture (${amount}) is more than the amount capturable (${capturable})`,
        'amount_to_capture',
      );
    if (magic === 'decline' || declining.has(id)) {
      const error: SandboxError = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
      intent.lastPaymentError = error;
      return { status: 402, json: errorBody({ ...error, payment_intent: paymentIntentObject(intent) }) };
    }
    Object.assign(intent.metadata, params.metadata);
    captures.set(id, (captures.get(id) ?? 0) + 1);
    intent.lastPaymentError = null;
    if (id.startsWith('pending-')) {
      intent.status = 'processing';
      settleLater(intent, intent.amountReceived + amount);
    } else {
      intent.amountReceived += amount;
      intent.status = params.final ? 'succeeded' : 'requires_capture';
    }
    return { status: 200, json: paymentIntentObject(intent) };
  }

  function capture(request: SandboxRequest, id: string): SandboxReply {
    // Nothing executed: the request is lost before Stripe reads it.
    if (id.startsWith('hangup-')) return { hangUp: true };
    const params = new URLSearchParams(request.rawBody.toString('utf8'));
    const read = readParams(params);
    if ('status' in read || 'hangUp' in read || 'silence' in read) return read;
    const key = header(request, 'idempotency-key');
    const fingerprint = fingerprintOf(request.method, request.path, params);
    const replay = keys.lookup(key, fingerprint);
    if (replay) return replay;
    if (sandboxMagic(id) === 'garbage')
      return { status: 200, text: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } };
    const reply = execute(id, read);
    keys.save(key, fingerprint, reply);
    // The capture was made and saved for its key; the answer never reaches the client.
    if (sandboxMagic(id) === 'timeout') return SILENCE;
    if (id.startsWith('drop-')) return { hangUp: true };
    return reply;
  }

  function handle(request: SandboxRequest): SandboxReply {
    const route = /^\/v1\/payment_intents\/([^/]+)(\/capture)?$/.exec(request.path);
    if (!route?.[1])
      return {
        status: 404,
        json: errorBody({ type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.path}).` }),
      };
    const id = decodeURIComponent(route[1]);
    const isCapture = route[2] !== undefined;
    if (isCapture) received++;
    if (header(request, 'authorization') !== `Bearer ${secretKey}`) {
      return { status: 401, json: errorBody({ type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' }) };
    }
    if (isCapture && request.method === 'POST') return capture(request, id);
    if (!isCapture && request.method === 'GET') {
      const intent = intentFor(id);
      if (!intent)
        return {
          status: 404,
          json: errorBody({
            type: 'invalid_request_error',
            code: 'resource_missing',
            message: `No such payment_intent: '${id}'`,
            param: 'intent',
          }),
        };
      return { status: 200, json: paymentIntentObject(intent) };
    }
    return {
      status: 405,
      json: errorBody({ type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.path}).` }),
    };
  }

  const server = await startSandboxServer(handle, { port: options.port, host: options.host });
  const clearTimers = () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  return {
    ...server,
    get accountSettings() {
      return { baseUrl: server.baseUrl, secretKey, webhookSecret };
    },
    authorise(intentId, money, seed = {}) {
      unknown.delete(intentId);
      if (seed.decline) declining.add(intentId);
      else declining.delete(intentId);
      const amount = toMinorUnitInteger(money, STRIPE_MINOR_UNITS);
      const status = seed.status ?? 'requires_capture';
      intents.set(intentId, {
        id: intentId,
        amount,
        amountReceived: status === 'succeeded' ? amount : 0,
        currency: money.currency.toLowerCase(),
        status,
        latestCharge: newChargeId(),
        lastPaymentError: null,
        metadata: {},
        created: Math.floor(Date.now() / 1000),
      });
    },
    markUnknown(intentId) {
      intents.delete(intentId);
      unknown.add(intentId);
    },
    intent: (intentId) => {
      const intent = intents.get(intentId);
      return intent && paymentIntentObject(intent);
    },
    reset() {
      intents.clear();
      unknown.clear();
      declining.clear();
      captures.clear();
      keys.clear();
      clearTimers();
      received = 0;
    },
    capturesReceived: () => received,
    capturesOf: (intentId) => captures.get(intentId) ?? 0,
    sendWebhook: (type, intentId, sent = {}) => deliver(type, intentId, sent.secret),
    setWebhookTarget(url) {
      webhookUrl = url;
    },
    async close() {
      clearTimers();
      await server.close();
    },
  };
}

function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
