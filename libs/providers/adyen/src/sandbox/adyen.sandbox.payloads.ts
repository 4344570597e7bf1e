import { randomInt } from 'node:crypto';
import { type AdyenSignedFields, signAdyenItem } from './adyen.sandbox.signer';

// Bodies as Adyen's OpenAPI documents show them (CheckoutService v71, Webhooks v1): every field the
// schemas allow and no other, so `adyen.fidelity.spec.ts` can hold them to those documents.

const PSP_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTVWXZ';
/** Adyen's "16-character unique reference". */
export const newPspReference = () => Array.from({ length: 16 }, () => PSP_ALPHABET[randomInt(PSP_ALPHABET.length)]).join('');

/** `PaymentCaptureResponse`: the only answer to an accepted capture (201). */
export function captureReceived(paymentPspReference: string, pspReference: string, request: CaptureBody) {
  return {
    merchantAccount: request.merchantAccount,
    paymentPspReference,
    ...(request.reference !== undefined ? { reference: request.reference } : {}),
    pspReference,
    status: 'received' as const,
    amount: { value: request.amount.value, currency: request.amount.currency },
  };
}

export interface CaptureBody {
  merchantAccount: string;
  amount: { value: number; currency: string };
  reference?: string;
}

/** `ServiceError`, as every documented error answer carries it. */
export const serviceError = (status: number, errorCode: string, message: string, errorType: string, pspReference?: string) => ({
  status,
  errorCode,
  message,
  errorType,
  ...(pspReference ? { pspReference } : {}),
});

/** What a notification item says, before it is signed. */
export interface SandboxItem extends AdyenSignedFields {
  reason?: string;
}

/**
 * One `NotificationRequestItemWrapper`, signed with `hexKey`. `tamper` changes the captured amount
 * after signing, as someone between Adyen and us would: its signature no longer matches.
 */
export function notificationItem(item: SandboxItem, hexKey: string, { tamper = false, eventDate = new Date() } = {}) {
  const hmacSignature = signAdyenItem(item, hexKey);
  const amount = tamper ? { ...item.amount, value: item.amount.value + 100 } : item.amount;
  return {
    NotificationRequestItem: {
      additionalData: { hmacSignature },
      amount: { currency: amount.currency, value: amount.value },
      eventCode: item.eventCode,
      eventDate: eventDate.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      merchantAccountCode: item.merchantAccountCode,
      merchantReference: item.merchantReference,
      ...(item.originalReference !== undefined ? { originalReference: item.originalReference } : {}),
      paymentMethod: 'visa',
      pspReference: item.pspReference,
      reason: item.reason ?? '',
      success: item.success,
    },
  };
}

/** A notification request: the batch one POST carries. */
export const notificationBatch = (items: ReturnType<typeof notificationItem>[]) => ({ live: 'false', notificationItems: items });
