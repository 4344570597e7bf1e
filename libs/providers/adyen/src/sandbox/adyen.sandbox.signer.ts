import { createHmac } from 'node:crypto';

/**
 * The `additionalData.hmacSignature` Adyen puts on a notification item: base64 HMAC-SHA256, keyed with
 * the bytes of the webhook's hex HMAC key, of `pspReference:originalReference:merchantAccountCode:
 * merchantReference:value:currency:eventCode:success`. Written apart from the plugin's verifier on
 * purpose, so a test signing with it checks the scheme (and `@adyen/api-library` checks it too).
 */
export function signAdyenItem(item: AdyenSignedFields, hexKey: string): string {
  const { pspReference, originalReference = '', merchantAccountCode, merchantReference, amount, eventCode, success } = item;
  const data = [pspReference, originalReference, merchantAccountCode, merchantReference, amount.value, amount.currency, eventCode, success];
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(data.join(':'), 'utf8').digest('base64');
}

/** The fields of a NotificationRequestItem that its signature covers. */
export interface AdyenSignedFields {
  pspReference: string;
  originalReference?: string;
  merchantAccountCode: string;
  merchantReference: string;
  amount: { value: number; currency: string };
  eventCode: string;
  success: 'true' | 'false';
}
