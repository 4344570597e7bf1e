import type { MaskedCard } from './capture.schemas';

/**
 * The only way a full card number enters the model: reduced at once to brand, first six and last
 * four, so that nothing downstream can store or log it. Returns undefined for what is not a PAN.
 */
export function maskCard(pan: string | undefined, brand?: string): MaskedCard | undefined {
  const digits = pan?.replace(/[\s-]/g, '') ?? '';
  if (!/^\d{12,19}$/.test(digits)) return undefined;
  return { ...(brand ? { brand } : {}), bin: digits.slice(0, 6), last4: digits.slice(-4) };
}
