import type { Money } from '@capture-gateway/domain';
import type { SandboxReply } from '@capture-gateway/plugin-sdk/testing';

/** The card of the docs' sample response: a full number, which the plugin must mask. */
export const SANDBOX_CARD_NUMBER = '5200000000001005';

export interface CapturedReply {
  captureId: string;
  ref: number;
  timestamp: string;
  merchantId: string;
}

/** The documented 201 body, with the captured amount and our own capture ids. */
export function capturedReply(money: Money, details: CapturedReply): SandboxReply {
  return {
    status: 201,
    json: {
      success: true,
      status_code: 201,
      is_live: false,
      transaction_type: 'CAPTURE',
      gateway_response: { version: '1', type: 'INFO', message: 'Amount successfully captured.', code: 'INFO0001' },
      merchant_details: { legal_name: 'Sandbox Factory', mid: details.merchantId, merchant_txn_ref: 'sandbox' },
      payment_details: {
        amount: money.amount,
        response_code: 0,
        auth_code: '264302',
        currency: money.currency,
        payment_method: 'ECMC-SSL',
        scheme: 'MASTERCARD',
        card: { name: 'John Doe', number: SANDBOX_CARD_NUMBER, exp_month: '12', exp_year: '24' },
        additional_data: { payment_data_source: { type: 'card' } },
      },
      transaction_details: { id: details.captureId, ref: details.ref, timestamp: details.timestamp, merchant_txn_ref: 'sandbox' },
    },
  };
}

/** Error bodies are undocumented: we assume the success envelope with `success: false`. */
export function errorReply(status: number, code: string, message: string): SandboxReply {
  return {
    status,
    json: {
      success: false,
      status_code: status,
      is_live: false,
      transaction_type: 'CAPTURE',
      gateway_response: { version: '1', type: 'ERROR', message, code },
    },
  };
}
