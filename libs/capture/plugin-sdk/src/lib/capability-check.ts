import { DomainError, type Money } from '@capture-gateway/domain';
import type { PluginCapabilities } from './plugin.contract';

/** What the one capability check needs to know of a plugin and of the account's provider. */
export interface CapabilityCheckInput {
  /** The plugin's `displayName`, named in every message. */
  displayName: string;
  capabilities: Pick<PluginCapabilities, 'captureWithoutAmount' | 'zeroAmount' | 'currencies' | 'multipleCaptures'>;
  /** The account's own currencies: the provider's `accountCurrencies`, where it declares them (1.3.0). */
  accountCurrencies?: readonly string[];
}

/** Why a capture is refused before anything is stored or sent; `param` is the request's field at fault. */
export interface CapabilityRefusal {
  code: 'unsupported_by_provider' | 'currency_mismatch';
  message: string;
  param: 'amount' | 'amount.amount' | 'amount.currency' | 'final';
}

/**
 * The refusals every provider would write the same way, in one place for the service (before it
 * stores a capture) and the HTTP skeleton (before it sends one): a capture that is not final where
 * the plugin captures an authorisation once, no amount where the plugin cannot
 * capture without one, zero unless it declares `zeroAmount`, a currency outside the plugin's
 * `currencies`, then one outside the account's own (`currency_mismatch`). `undefined`: none applies.
 */
export function capabilityRefusal(
  plugin: CapabilityCheckInput,
  request: { amount?: Money; final?: boolean },
): CapabilityRefusal | undefined {
  const { displayName, capabilities, accountCurrencies } = plugin;
  const { amount } = request;
  // A capture that leaves the authorisation open for another needs a provider that captures several times.
  if (request.final === false && !capabilities.multipleCaptures) {
    return {
      code: 'unsupported_by_provider',
      message: `${displayName} captures an authorisation once: a capture is always final`,
      param: 'final',
    };
  }
  if (!amount) {
    if (capabilities.captureWithoutAmount) return undefined;
    return { code: 'unsupported_by_provider', message: `${displayName} needs an amount to capture`, param: 'amount' };
  }
  if (amount.amount === 0 && !capabilities.zeroAmount) {
    return { code: 'unsupported_by_provider', message: `${displayName} does not capture an amount of zero`, param: 'amount.amount' };
  }
  const { currencies } = capabilities;
  if (currencies !== 'any' && !currencies.includes(amount.currency)) {
    const message = `${displayName} captures in ${currencies.join(', ')} only, not ${amount.currency}`;
    return { code: 'unsupported_by_provider', message, param: 'amount.currency' };
  }
  if (accountCurrencies && !accountCurrencies.includes(amount.currency)) {
    // An account whose provider takes no currency on the wire would capture another amount (1000 JPY for 10.00 USD).
    const own = accountCurrencies.length > 0 ? `in ${accountCurrencies.join(', ')} only` : 'in no currency';
    return {
      code: 'currency_mismatch',
      message: `This ${displayName} account captures ${own}, not ${amount.currency}`,
      param: 'amount.currency',
    };
  }
  return undefined;
}

/**
 * The amount, in a `toWire` of a plugin that cannot capture without one: `capabilityRefusal` has
 * refused its absence before `toWire` runs, so this only narrows the type (and refuses, should it
 * ever be called otherwise).
 */
export function requiredAmount(request: { amount?: Money }): Money {
  if (request.amount) return request.amount;
  throw new DomainError('unsupported_by_provider', 'No amount to capture; nothing was sent', 'amount');
}
