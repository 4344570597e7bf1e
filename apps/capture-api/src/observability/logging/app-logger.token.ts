/** DI token of the service's `AppLogger` (pino logger + the secret set every line is scrubbed of). */
export const APP_LOGGER = Symbol('APP_LOGGER');
