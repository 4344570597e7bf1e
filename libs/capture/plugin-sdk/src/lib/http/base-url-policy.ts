import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Whether a URL's host is this machine: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`. Plain
 * HTTP to it never crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

/** Why an account's `baseUrl` may not be used, or undefined when it may. */
export function insecureBaseUrlProblem(baseUrl: string, allowInsecureHttp: boolean | undefined): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined; // The plugin's own schema says what is wrong with it.
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `must be an https:// URL, not ${url.protocol}//`;
  if (isLoopbackHost(url.hostname) || allowInsecureHttp === true) return undefined;
  return (
    `plain http:// to ${url.hostname} is refused: credentials and card data would cross the network unencrypted. ` +
    "Use https://, or set allowInsecureHttp: true in this account's settings to accept the risk"
  );
}

const OPT_IN = z
  .boolean()
  .optional()
  .describe('true: accept a plain http:// baseUrl to a host other than this machine (credentials and card data travel unencrypted)');

/**
 * An HTTP plugin's config schema with the transport rule every account follows: its `baseUrl` is
 * https://, or http:// only to a loopback host or with the account's explicit `allowInsecureHttp: true`.
 * An object schema gains the optional `allowInsecureHttp` field (strict schemas included); the issue is
 * reported on `baseUrl`, so the service's config error names the account and the field.
 */
export function withBaseUrlPolicy<T extends z.ZodType<{ baseUrl: string }>>(schema: T): T {
  const open =
    schema instanceof z.ZodObject && !('allowInsecureHttp' in schema.shape)
      ? (schema.extend({ allowInsecureHttp: OPT_IN }) as z.ZodType)
      : schema;
  return open.superRefine((config, ctx) => {
    const { baseUrl, allowInsecureHttp } = config as { baseUrl: string; allowInsecureHttp?: unknown };
    const problem = insecureBaseUrlProblem(baseUrl, allowInsecureHttp === true);
    if (problem) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: problem, input: baseUrl });
  }) as unknown as T;
}
