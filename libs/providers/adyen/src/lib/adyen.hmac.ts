import { WebhookRejectedError, hmacKey, hmacSha256, requireWebhookSecret, signatureMatches } from '@capture-gateway/plugin-sdk';

const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

/**
 * The signing string of one notification item, from its fields as received:
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`,
 * an absent field empty. Adyen joins them with ":" unescaped (its libraries' `getDataToSign` too): the
 * backslash and colon escaping of its docs is for key-value signing strings, not notifications.
 */
export function adyenSigningString(item: Record<string, unknown>): string {
  const amount = (item['amount'] ?? {}) as Record<string, unknown>;
  const fields = [item['pspReference'], item['originalReference'], item['merchantAccountCode'], item['merchantReference']];
  return [...fields, amount['value'], amount['currency'], item['eventCode'], item['success']].map(text).join(':');
}

/**
 * Checks one item's `additionalData.hmacSignature`: base64 HMAC-SHA256 of its signing string, with
 * the key's bytes (hex), against every key of a rotation. Throws `WebhookRejectedError` otherwise.
 */
export function verifyItem(item: Record<string, unknown>, keys: readonly string[], index: number): void {
  requireWebhookSecret(keys[0], 'Adyen', 'hmacKey or hmacKeys');
  const additional = item['additionalData'];
  const signature = additional && typeof additional === 'object' ? (additional as Record<string, unknown>)['hmacSignature'] : undefined;
  if (typeof signature !== 'string' || signature.length === 0) {
    throw new WebhookRejectedError('missing_signature', `Item ${index} of the batch has no additionalData.hmacSignature`);
  }
  const data = adyenSigningString(item);
  // Every key against the signature, with no early exit: the time taken does not tell which matched.
  const expected = keys.map((key) => hmacSha256(hmacKey(key, 'hex', 'hmacKey'), data));
  if (!signatureMatches(expected, [signature], 'base64')) {
    throw new WebhookRejectedError('bad_signature', `Item ${index} of the batch is not signed with any of the account's HMAC keys`);
  }
}
