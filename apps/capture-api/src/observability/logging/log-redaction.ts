import { CARD_NUMBER_MIN_DIGITS, redactCardNumbers } from '@capture-gateway/domain';
import { REDACTED } from '@capture-gateway/plugin-sdk';

/**
 * The secret values every log line is scrubbed of. The service adds to it as it learns them:
 * its own API keys and database URL at start-up, each account's secrets as its plugin loads.
 */
export class SecretSet {
  private readonly values = new Set<string>();
  // forms() is read for every log line and changes only when a secret is added: built once per change.
  private cachedForms: readonly string[] | undefined;

  constructor(initial: Iterable<string> = []) {
    this.add(initial);
  }

  add(values: Iterable<string>): void {
    // Very short values would shred ordinary words; config validation keeps real secrets longer.
    for (const value of values) if (value.length >= 4) this.values.add(value);
    this.cachedForms = undefined;
  }

  /** Each secret as it appears raw and inside a JSON string (quotes and backslashes escaped), longest first. */
  forms(): readonly string[] {
    this.cachedForms ??= [...this.values]
      .flatMap((value) => [JSON.stringify(value).slice(1, -1), value])
      .sort((a, b) => b.length - a.length);
    return this.cachedForms;
  }
}

// Credentials that travel in headers or text under a scheme: the value goes, the scheme stays.
const CREDENTIAL = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]+/gi;

/**
 * Scrubs one serialised log line: configured secrets, credential schemes and card numbers, as
 * written raw and as JSON writes them (`4111\n1111…`: an escape is one separator to the finder).
 */
export function redactLogLine(line: string, secrets: SecretSet): string {
  let scrubbed = line;
  // split/join only where a secret is present: most lines hold none, and then nothing is copied.
  for (const form of secrets.forms()) if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(REDACTED);
  const cards = mayHoldCardNumber(scrubbed);
  if (cards) scrubbed = redactCardNumbers(scrubbed);
  scrubbed = scrubbed.replace(CREDENTIAL, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  return cards ? redactCardNumbers(scrubbed, { json: true }) : scrubbed;
}

/**
 * False only when no card number can be in the line, in plain or JSON reading: no stretch between
 * two ASCII letters (a letter always ends a number) holds 13 digits. A line with a backslash (a JSON
 * escape such as `\n` has a letter yet separates) or a non-ASCII character is always searched. Most
 * lines (a request's, with its time, status and duration) end here, without the finder's allocations.
 */
export function mayHoldCardNumber(line: string): boolean {
  let digits = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (++digits >= CARD_NUMBER_MIN_DIGITS) return true;
    } else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) digits = 0;
    else if (code === 92 || code > 127) return true;
  }
  return false;
}

/** Headers whose value never reaches a log, whatever object they are logged under. */
export const SENSITIVE_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie'] as const;

/** pino `redact` paths for the sensitive headers under the usual places a request is logged. */
export function sensitiveHeaderPaths(): string[] {
  const parents = ['headers', 'req.headers', 'request.headers', 'res.headers', 'response.headers', '*.headers'];
  return parents.flatMap((parent) => SENSITIVE_HEADERS.map((header) => `${parent}["${header}"]`));
}
