import type { PluginLogger } from '@capture-gateway/plugin-sdk';
import type { Logger } from 'pino';

/** A plugin's logger: the service's logger with the plugin and account on every line. */
export function toPluginLogger(logger: Logger, bindings: { plugin: string; account: string }): PluginLogger {
  const child = logger.child(bindings);
  return {
    debug: (message, fields) => child.debug(fields ?? {}, message),
    info: (message, fields) => child.info(fields ?? {}, message),
    warn: (message, fields) => child.warn(fields ?? {}, message),
    error: (message, fields) => child.error(fields ?? {}, message),
  };
}
