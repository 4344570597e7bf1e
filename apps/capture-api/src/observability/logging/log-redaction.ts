import { redactCardNumbers } from '@capture-gateway/domain';
import { REDACTED, redact } from '@capture-gateway/plugin-sdk';

/**
 * The secret values every log line is scrubbed of. The service adds to it as it learns them:
 * its own API keys and database URL at start-up, each account's secrets as its plugin loads.
 */
export class SecretSet {
  private readonly values = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    this.add(initial);
  }

  add(values: Iterable<string>): void {
    // Very short values would shred ordinary words; config validation keeps real secrets longer.
    for (const value of values) if (value.length >= 4) this.values.add(value);
  }

  /** Each secret as it appears raw and inside a JSON string (quotes and backslashes escaped). */
  forms(): string[] {
    return [...this.values].flatMap((value) => [JSON.stringify(value).slice(1, -1), value]).sort((a, b) => b.length - a.length);
  }
}

// Credentials that travel in headers or text under a scheme: the value goes, the scheme stays.
const CREDENTIAL = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]+/gi;

/**
 * Scrubs one serialised log line: configured secrets, credential schemes and card numbers, as
 * written raw and as JSON writes them (`4111\n1111…`: an escape is one separator to the finder).
 */
export function redactLogLine(line: string, secrets: SecretSet): string {
  const scrubbed = redact(line, secrets.forms()).replace(CREDENTIAL, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  return redactCardNumbers(scrubbed, { json: true });
}

/** Headers whose value never reaches a log, whatever object they are logged under. */
export const SENSITIVE_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie'] as const;

/** pino `redact` paths for the sensitive headers under the usual places a request is logged. */
export function sensitiveHeaderPaths(): string[] {
  const parents = ['headers', 'req.headers', 'request.headers', 'res.headers', 'response.headers', '*.headers'];
  return parents.flatMap((parent) => SENSITIVE_HEADERS.map((header) => `${parent}["${header}"]`));
}
