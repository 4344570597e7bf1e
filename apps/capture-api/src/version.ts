/** The service's version, shown in the OpenAPI document (`info.version`). Bump with each release. */
export const SERVICE_VERSION = '1.1.0';
