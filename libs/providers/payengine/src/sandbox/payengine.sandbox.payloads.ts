import { randomBytes, randomUUID } from 'node:crypto';

// The fixed parts of the docs' sample, so sandbox answers look like PayEngine's.
const MERCHANT_ID = '1e4e6029-2cc9-4b2c-87c1-7a4b2af6d6c6';
const GATEWAY_ID = '1f3e0f67-d560-494c-bb1a-97558a462cc5';
const ACCOUNT_ID = 'fa3ac0a8-0cda-4e38-ba9d-357b0f0bd844';
export const SANDBOX_MASKED_CARD = '1111';

export type SandboxStatus = 'PASS' | 'FAIL' | 'PENDING_3DSAUTH';

export interface SandboxCapture {
  paymentId: string;
  status: SandboxStatus;
  /** Decimal string of the amount asked for (or the whole authorisation). */
  amount: string;
  transactionId: string;
  metadata?: unknown;
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

function receipt(amount: string, transactionId: string, copy: string): string {
  return ` Sandbox US Merchant \\n CREDIT - SALE \\n Card # ${SANDBOX_MASKED_CARD} \\n Card Type: VISA \\n Transaction ID: ${transactionId} \\n TOTAL: USD $${amount} \\n ${copy} Copy \\n`;
}

const RESULTS: Record<SandboxStatus, { code: string; message: string }> = {
  PASS: { code: 'A0000', message: 'Success' },
  FAIL: { code: 'D0005', message: 'Do not honor' },
  PENDING_3DSAUTH: { code: 'P0001', message: 'Pending 3DS authentication' },
};

/** `capture_response` with the documented fields; PASS carries an auth code and the processed amount. */
export function captureResponse(capture: SandboxCapture): Record<string, unknown> {
  const passed = capture.status === 'PASS';
  const processorId = digits(8);
  return {
    status: capture.status,
    task_id: digits(8),
    ...(passed ? { auth_code: digits(6) } : {}),
    card_type: 'visa',
    total_amount: capture.amount,
    response_code: RESULTS[capture.status].code,
    transaction_id: processorId,
    customer_receipt: receipt(capture.amount, processorId, 'Customer'),
    merchant_receipt: receipt(capture.amount, processorId, 'Merchant'),
    processed_amount: passed ? capture.amount : '0.00',
    response_message: RESULTS[capture.status].message,
    host_response_code: passed ? '00' : '05',
    masked_card_number: SANDBOX_MASKED_CARD,
    transaction_amount: capture.amount,
    host_reference_number: digits(12),
    transaction_timestamp: new Date().toISOString().slice(0, 19),
  };
}

/** The answer to POST /api/payment/capture: one flat object, as the docs list its fields. */
export function captureAnswer(capture: SandboxCapture): Record<string, unknown> {
  return {
    id: capture.paymentId,
    transaction_id: capture.transactionId,
    merchant_id: MERCHANT_ID,
    gateway_id: GATEWAY_ID,
    description: 'Sandbox capture',
    capture_response: captureResponse(capture),
    ...(capture.metadata !== undefined ? { metadata: capture.metadata } : {}),
  };
}

/** A PAYMENT_CAPTURED delivery, shaped like the docs' example. */
export function capturedEvent(capture: SandboxCapture): Record<string, unknown> {
  return {
    event_uid: randomBytes(16).toString('hex'),
    event: 'PAYMENT_CAPTURED',
    data: {
      metadata: capture.metadata ?? {},
      account_id: ACCOUNT_ID,
      gateway_id: GATEWAY_ID,
      payment_id: capture.paymentId,
      description: 'Sandbox capture',
      merchant_id: MERCHANT_ID,
      transaction_id: capture.transactionId,
      capture_response: captureResponse(capture),
    },
  };
}

export const newTransactionId = () => randomUUID();

/** The body of every non-2xx answer (PayEngine documents none; this is our assumed shape). */
export const errorBody = (error: string, message: string) => ({ error, message });
