import { randomBytes } from 'node:crypto';

// Bodies as Stripe's API reference shows them (API 2026-10-28.endive): every field of the object,
// so `stripe.sandbox.types.spec.ts` can hold them to the `stripe` package's own types.

export type SandboxIntentStatus = 'requires_capture' | 'succeeded' | 'processing' | 'canceled' | 'requires_payment_method';

/** What the sandbox knows of one PaymentIntent; amounts in Stripe's units. */
export interface SandboxIntent {
  id: string;
  amount: number;
  amountReceived: number;
  /** Lower-case, as Stripe writes it. */
  currency: string;
  status: SandboxIntentStatus;
  latestCharge: string | null;
  lastPaymentError: SandboxError | null;
  metadata: Record<string, string>;
  created: number;
}

export interface SandboxError {
  type: 'card_error' | 'invalid_request_error' | 'api_error' | 'idempotency_error';
  code?: string;
  decline_code?: string;
  message: string;
  param?: string;
  payment_intent?: SandboxPaymentIntentObject;
}

/** The PaymentIntent object, as `GET` and `capture` answer it. */
export function paymentIntentObject(intent: SandboxIntent) {
  const capturable = intent.status === 'requires_capture' ? intent.amount - intent.amountReceived : 0;
  return {
    id: intent.id,
    object: 'payment_intent' as const,
    allowed_payment_method_types: null,
    amount: intent.amount,
    amount_capturable: capturable,
    amount_received: intent.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: intent.status === 'canceled' ? intent.created : null,
    cancellation_reason: intent.status === 'canceled' ? ('expired' as const) : null,
    capture_method: 'manual' as const,
    client_secret: null,
    confirmation_method: 'automatic' as const,
    created: intent.created,
    currency: intent.currency,
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: intent.lastPaymentError ? errorObject(intent.lastPaymentError) : null,
    latest_charge: intent.latestCharge,
    livemode: false,
    managed_payments: null,
    metadata: { ...intent.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: 'pm_card_visa',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: intent.status === 'processing' ? { type: 'card' as const } : null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: intent.status,
    transfer_group: null,
  };
}
export type SandboxPaymentIntentObject = ReturnType<typeof paymentIntentObject>;

/** The card behind every sandbox charge: Stripe's test Visa, of which only brand and last four are ever sent. */
export const SANDBOX_CARD = { brand: 'visa', last4: '4242' };

/** The captured Charge, as `charge.captured` carries it (the fields the plugin reads, and its identity). */
export function chargeObject(intent: SandboxIntent) {
  return {
    id: intent.latestCharge ?? '',
    object: 'charge' as const,
    amount: intent.amount,
    amount_captured: intent.amountReceived,
    captured: intent.amountReceived > 0,
    currency: intent.currency,
    metadata: { ...intent.metadata },
    payment_intent: intent.id,
    payment_method_details: { type: 'card', card: { ...SANDBOX_CARD } },
    status: 'succeeded',
  };
}

function errorObject(error: SandboxError) {
  const { payment_intent: _, ...rest } = error;
  return rest;
}

/** An event as Stripe delivers it to an endpoint. */
export function eventObject(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  return {
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event' as const,
    api_version: '2026-10-28.endive',
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** The body of every error answer: `{ "error": { … } }`. */
export const errorBody = (error: SandboxError) => ({ error });

export const newChargeId = () => `ch_${randomBytes(12).toString('hex')}`;
