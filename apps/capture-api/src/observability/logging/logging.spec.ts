import { Writable } from 'node:stream';
import { findCardNumbers } from '@capture-gateway/domain';
import { plantedCard } from '@capture-gateway/domain/testing';
import { Logger as NestLogger } from '@nestjs/common';
import fc from 'fast-check';
import { createAppLogger } from './logger.factory';
import { PinoNestLogger } from './nest-logger.service';
import { toPluginLogger } from './plugin-logger.adapter';
import { defined } from '../../testing/defined';

const CARD = '5200000000001005';
const SECRET = 'sk_live_9f8e7d6c5b4a';
const QUOTED_SECRET = 'pa"ss\\word-1234';

function collectingLogger(secrets: string[] = [SECRET, QUOTED_SECRET]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const app = createAppLogger({ secrets, destination, level: 'trace' });
  return { ...app, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the application logger', () => {
  it('writes one JSON object per line, with level, ISO time and message', () => {
    const { logger, parsed } = collectingLogger();
    logger.info({ captureId: 'cap_12345678' }, 'capture stored');
    expect(parsed()[0]).toMatchObject({ level: 'info', message: 'capture stored', captureId: 'cap_12345678', service: 'capture-api' });
    expect(parsed()[0]['time']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('never writes a secret, an Authorization header or a full card number', () => {
    const { logger, lines } = collectingLogger();
    logger.info(
      { headers: { authorization: 'Bearer tok_abcdef123456', 'x-api-key': 'key_zyxw9876', cookie: 'sid=cookie_value_42' } },
      'incoming request',
    );
    logger.warn({ req: { headers: { authorization: 'Basic dXNlcjpwYXNz' } } }, 'nested request');
    logger.error({ config: { apiKey: SECRET, password: QUOTED_SECRET } }, `provider said: key ${SECRET} rejected`);
    logger.info({ body: { card: { number: CARD } } }, `card ${CARD} and spaced 5200 0000 0000 1005`);
    logger.info('forwarding "Authorization: Bearer tok_abcdef123456" upstream');

    const output = lines.join('\n');
    for (const leaked of [
      SECRET,
      'tok_abcdef123456',
      'key_zyxw9876',
      'cookie_value_42',
      'dXNlcjpwYXNz',
      CARD,
      '5200 0000 0000 1005',
      'ss\\\\\\"word',
    ]) {
      expect(output).not.toContain(leaked);
    }
    expect(output).not.toContain('pa\\"ss\\\\word-1234');
    expect(output).toContain('520000******1005');
    expect(output).toContain('[REDACTED]');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it.each([
    ['dashes and a space', '4111-1111 1111-1111'],
    ['line feeds', '4111\n1111\n1111\n1111'],
    ['tabs and CRLF', '4111\t1111\r\n1111\t1111'],
    ['mixed separators', '5200 0000-0000 1005'],
    ['" - " and three spaces', '4111 - 1111   1111 - 1111'],
    ['slashes, commas and underscores', '4111/1111,1111_1111'],
    ['thin and narrow no-break spaces', '4111\u20091111\u202f1111\u20091111'],
    ['a zero-width space and a soft hyphen', '411111\u200b1111\u00ad111111'],
  ])('writes no card number written with %s, in the message or a field, raw or as JSON escapes it', (_name, card) => {
    const { logger, lines, parsed } = collectingLogger();
    logger.info({ authorisationId: card, nested: { detail: `declined: ${card}` } }, `capture of ${card} refused`);
    const digits = card.replace(/\D/g, '');
    const line = defined(lines[0], 'a log line');
    expect(line.replace(/\\[nrt]|\\u[0-9a-f]{4}|[^0-9A-Za-z*]/g, '')).not.toContain(digits);
    expect(parsed()[0]).toMatchObject({
      authorisationId: `${digits.slice(0, 6)}******${digits.slice(-4)}`,
      nested: { detail: `declined: ${digits.slice(0, 6)}******${digits.slice(-4)}` },
      message: `capture of ${digits.slice(0, 6)}******${digits.slice(-4)} refused`,
    });
  });

  it('property: a card number of any shape, planted in any field, never reaches a line whole', () => {
    const { logger, lines } = collectingLogger();
    fc.assert(
      fc.property(plantedCard(120), fc.constantFrom('message', 'field', 'nested', 'key'), ({ text, pan }, where) => {
        lines.length = 0;
        if (where === 'message') logger.info(text);
        else if (where === 'field') logger.info({ authorisationId: text }, 'capture refused');
        else if (where === 'nested') logger.warn({ provider: { body: [{ reason: text }] } }, 'provider said');
        else logger.info({ metadata: { [text]: 'x' } }, 'metadata');
        const line = defined(lines[0], 'a log line');
        const strings: string[] = [];
        JSON.parse(line, (key, value: unknown) => {
          strings.push(key);
          if (typeof value === 'string') strings.push(value);
          return value;
        });
        for (const value of strings) {
          expect(findCardNumbers(value)).toEqual([]);
          expect(value.replace(/[^\p{L}\p{N}*]/gu, '')).not.toContain(pan);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('redacts secrets added after start-up, as plugins load their accounts', () => {
    const { logger, secrets, lines } = collectingLogger([]);
    secrets.add(['whsec_account_two_777']);
    logger.info({ webhookSecret: 'whsec_account_two_777' }, 'account loaded');
    expect(lines.join('\n')).not.toContain('whsec_account_two_777');
  });
});

describe('toPluginLogger', () => {
  it("logs a plugin's lines through the service logger, tagged and redacted", () => {
    const { logger, parsed, lines } = collectingLogger();
    const pluginLogger = toPluginLogger(logger, { plugin: 'payengine', account: 'acme-eu' });
    pluginLogger.warn('provider answered 401', { status: 401, sentKey: SECRET, pan: CARD });
    pluginLogger.debug('plain line');
    expect(parsed()[0]).toMatchObject({
      level: 'warn',
      message: 'provider answered 401',
      plugin: 'payengine',
      account: 'acme-eu',
      status: 401,
    });
    expect(parsed()[1]).toMatchObject({ level: 'debug', message: 'plain line' });
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toContain(CARD);
  });
});

describe('PinoNestLogger', () => {
  it("turns Nest's log calls into JSON lines with their context, redacted", () => {
    const { logger, parsed, lines } = collectingLogger();
    const nest = new PinoNestLogger(logger);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error(`failed with ${SECRET}`, 'Error: boom\n    at x', 'CapturesService');
    nest.warn({ detail: 'object message' });
    expect(parsed()[0]).toMatchObject({ level: 'info', message: 'Nest application successfully started', context: 'NestApplication' });
    expect(parsed()[1]).toMatchObject({ level: 'error', context: 'CapturesService', stack: 'Error: boom\n    at x' });
    expect(parsed()[2]).toMatchObject({ level: 'warn', detail: 'object message' });
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('serves as the logger of Nest Logger instances', () => {
    const { logger, parsed } = collectingLogger();
    NestLogger.overrideLogger(new PinoNestLogger(logger));
    try {
      new NestLogger('PluginLoader').log('loaded 2 plugins');
    } finally {
      NestLogger.overrideLogger(false);
    }
    expect(parsed()).toContainEqual(expect.objectContaining({ message: 'loaded 2 plugins', context: 'PluginLoader' }));
  });
});
