import { randomUUID } from 'node:crypto';
import { type Money, isKnownCurrency } from '@capture-gateway/domain';
import {
  type ProviderSandbox,
  type SandboxMagic,
  type SandboxReply,
  type SandboxRequest,
  type SandboxStartOptions,
  SANDBOX_MAGIC,
  SILENCE,
  sandboxMagic,
  startSandboxServer,
} from '@capture-gateway/plugin-sdk/testing';
import {
  authorizationHeader,
  CAPTURE_PATH,
  PaymentOptionsCaptureRequestSchema,
  type PaymentOptionsCaptureRequest,
  PAYMENTOPTIONS_ERROR_CODES as PO,
} from '../lib/paymentoptions.schemas';
import { capturedReply, errorReply } from './paymentoptions.sandbox.payloads';

/** Outcomes a transaction can be scripted to, by `respondWith` or by a magic id prefix (the SDK's convention). */
export type SandboxBehaviour = SandboxMagic;

/** `decline-…`, `timeout-…`, `error-…`, `garbage-…`, `notfound-…` pick the outcome without seeding. */
export const MAGIC_PREFIXES: readonly SandboxBehaviour[] = SANDBOX_MAGIC;

/** The sandbox convention; PaymentOptions sends no webhooks, so `webhookUrl` is accepted and unused. */
export interface PaymentOptionsSandboxOptions extends SandboxStartOptions {
  authorizationKey?: string;
  apiKey?: string;
  merchantId?: string;
  /** Currency of transactions nobody seeded (default JPY). */
  defaultCurrency?: string;
}

export interface PaymentOptionsSandbox extends ProviderSandbox {
  /** `{ baseUrl, authorizationKey, apiKey, merchantId, currency }`: the sandbox convention (`currency` is `defaultCurrency`). */
  readonly accountSettings: { baseUrl: string; authorizationKey: string; apiKey: string; merchantId: string; currency: string };
  /** Seeds an authorisation; `captured: true` makes the next capture an "already captured". */
  authorise(transactionId: string, money: Money, options?: { captured?: boolean }): void;
  /** Scripts how the sandbox answers captures of one transaction. */
  respondWith(transactionId: string, behaviour: SandboxBehaviour): void;
  /** Forgets every seeded transaction, script and count. */
  reset(): void;
  /** How many capture requests reached the sandbox, whatever it answered. */
  capturesReceived(): number;
  readonly credentials: { authorizationKey: string; apiKey: string; merchantId: string };
}

interface Authorisation {
  money: Money;
  captured: boolean;
}

const DEFAULT_CREDENTIALS = {
  authorizationKey: 'sandbox-authorization-key',
  apiKey: 'sandbox-api-key',
  merchantId: 'sandbox-merchant',
};

/**
 * A fake of the PaymentOptions capture API for local runs, e2e tests and benchmarks. A transaction
 * nobody seeded is authorised for exactly the amount asked, in `defaultCurrency`.
 */
export async function startPaymentOptionsSandbox(options: PaymentOptionsSandboxOptions = {}): Promise<PaymentOptionsSandbox> {
  const credentials = {
    authorizationKey: options.authorizationKey ?? DEFAULT_CREDENTIALS.authorizationKey,
    apiKey: options.apiKey ?? DEFAULT_CREDENTIALS.apiKey,
    merchantId: options.merchantId ?? DEFAULT_CREDENTIALS.merchantId,
  };
  const defaultCurrency = options.defaultCurrency ?? 'JPY';
  if (!isKnownCurrency(defaultCurrency)) throw new Error(`defaultCurrency "${defaultCurrency}" is not an ISO 4217 currency`);

  const state = createState(credentials, defaultCurrency);
  const server = await startSandboxServer((request) => state.handle(request), { port: options.port, host: options.host });
  return {
    ...server,
    credentials,
    accountSettings: { baseUrl: server.baseUrl, ...credentials, currency: defaultCurrency },
    authorise: (transactionId, money, opts = {}) =>
      state.authorisations.set(transactionId, { money: { ...money }, captured: opts.captured ?? false }),
    respondWith: (transactionId, behaviour) => state.scripts.set(transactionId, behaviour),
    reset: () => state.reset(),
    capturesReceived: () => state.received,
  };
}

function createState(credentials: PaymentOptionsSandbox['credentials'], defaultCurrency: string) {
  const state = {
    authorisations: new Map<string, Authorisation>(),
    scripts: new Map<string, SandboxBehaviour>(),
    received: 0,
    nextRef: 74819,
    reset() {
      state.authorisations.clear();
      state.scripts.clear();
      state.received = 0;
    },
    handle(request: SandboxRequest): SandboxReply {
      if (request.method !== 'POST' || request.path !== CAPTURE_PATH) {
        // Like a web server in front of the API: a plain 404, not the API's error envelope.
        return { status: 404, text: 'Not Found' };
      }
      state.received += 1;
      if (!hasCredentials(request, credentials)) return errorReply(401, PO.unauthorized, 'Invalid or missing API credentials.');
      const body = PaymentOptionsCaptureRequestSchema.safeParse(request.body);
      if (!body.success) return errorReply(400, PO.invalidRequest, 'The request body is not a valid capture request.');
      if (body.data.merchant_id !== credentials.merchantId) {
        return errorReply(403, PO.merchantMismatch, 'The merchant id does not belong to these credentials.');
      }
      const scripted = state.scripts.get(body.data.transactionId) ?? sandboxMagic(body.data.transactionId);
      if (scripted) return scriptedReply(scripted);
      return state.capture(body.data);
    },
    capture(body: PaymentOptionsCaptureRequest): SandboxReply {
      const seeded = state.authorisations.get(body.transactionId);
      const authorisation = seeded ?? { money: { amount: body.amount, currency: defaultCurrency }, captured: false };
      if (authorisation.captured) return errorReply(409, PO.alreadyCaptured, 'The transaction has already been captured.');
      if (body.amount > authorisation.money.amount) {
        return errorReply(422, PO.amountExceedsAuthorised, 'The amount exceeds the authorised amount.');
      }
      // A capture, full or partial, closes the authorisation: the rest is released.
      state.authorisations.set(body.transactionId, { ...authorisation, captured: true });
      const money = { amount: body.amount, currency: authorisation.money.currency };
      const details = {
        captureId: randomUUID(),
        ref: state.nextRef++,
        timestamp: new Date().toISOString(),
        merchantId: credentials.merchantId,
      };
      return capturedReply(money, details);
    },
  };
  return state;
}

function hasCredentials(request: SandboxRequest, credentials: PaymentOptionsSandbox['credentials']): boolean {
  return (
    request.headers['authorization'] === authorizationHeader(credentials.authorizationKey) &&
    request.headers['x-api-key'] === credentials.apiKey
  );
}

function scriptedReply(behaviour: SandboxBehaviour): SandboxReply {
  switch (behaviour) {
    case 'decline':
      return errorReply(402, PO.declined, 'The issuer declined the capture.');
    case 'timeout':
      return SILENCE;
    case 'error':
      return errorReply(503, PO.unavailable, 'The service is temporarily unavailable.');
    case 'garbage':
      return { status: 201, text: '<html><body>Captured?</body></html>' };
    case 'notfound':
      return errorReply(404, PO.transactionNotFound, 'No transaction with this id.');
    default: {
      const unknown: never = behaviour;
      throw new Error(`Unknown sandbox behaviour ${String(unknown)}`);
    }
  }
}
