import type { MinorUnitOverrides, Money, MoneyConversions } from '@capture-gateway/domain';
import { refuse } from '@capture-gateway/plugin-sdk';

// Stripe's currency rules (https://docs.stripe.com/currencies), as followed for API 2026-10-28.endive.

/** Amounts written without multiplying: ISO gives MGA two decimals, Stripe none. */
export const STRIPE_ZERO_DECIMAL = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
] as const;

/** Three decimals, but the last digit sent must be 0 (Stripe's partners take two): 5.124 KWD cannot be charged. */
export const STRIPE_THREE_DECIMAL = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'] as const;

/**
 * ISK stays two-decimal in the API for backwards compatibility (ISO: none), in multiples of 100. HUF
 * and TWD are two-decimal for charges as in ISO (their divisible-by-100 rule is for payouts only).
 */
export const STRIPE_MINOR_UNITS: MinorUnitOverrides = {
  ...Object.fromEntries(STRIPE_ZERO_DECIMAL.map((code) => [code, 0])),
  ISK: 2,
};

/** "The amount value supports up to eight digits" (the PaymentIntent's `amount`). */
export const STRIPE_MAX_AMOUNT = 99_999_999;

/**
 * Our money to Stripe's integer amount, or a refusal (`invalid_request`, nothing sent) where Stripe
 * cannot take it: more precision than Stripe writes (15050 MGA), a three-decimal amount whose last
 * digit is not 0, more than eight digits.
 */
export function toStripeAmount(money: Money, convert: MoneyConversions, param = 'amount.amount'): number {
  let units: number;
  try {
    units = convert.toMinorUnitInteger(money);
  } catch {
    refuse('invalid_request', `${money.amount} ${money.currency} minor units cannot be written as Stripe writes ${money.currency}`, param);
  }
  if ((STRIPE_THREE_DECIMAL as readonly string[]).includes(money.currency) && units % 10 !== 0) {
    refuse('invalid_request', `Stripe takes ${money.currency} amounts whose last digit is 0 (round to the nearest ten)`, param);
  }
  if (units > STRIPE_MAX_AMOUNT) refuse('invalid_request', `Stripe takes amounts of at most eight digits (${STRIPE_MAX_AMOUNT})`, param);
  return units;
}
