import { z } from 'zod';
import { secret, secretValues } from '../secrets';
import { isLoopbackHost } from './base-url-policy';
import { defineHttpCapturePlugin } from './http-capture.plugin';

const plugin = (configSchema: z.ZodType<{ baseUrl: string }>) =>
  defineHttpCapturePlugin({
    id: 'acme',
    displayName: 'Acme',
    version: '0.0.1',
    configSchema,
    capabilities: { partialCapture: true, multipleCaptures: false, captureWithoutAmount: false, webhooks: false, currencies: 'any' },
    path: 'capture',
    headers: () => ({}),
    toWire: () => ({}),
    answerSchema: z.unknown(),
    readAnswer: () => ({ status: 'succeeded' }),
    errorSchema: z.unknown(),
    readError: () => undefined,
    errorCodes: {},
  });

// Strict, as PayEngine's is: the opt-in must still be accepted.
const strict = plugin(z.object({ baseUrl: z.url(), apiKey: secret('key') }).strict());

describe("an HTTP plugin's baseUrl", () => {
  const parse = (baseUrl: string, extra: object = {}) => strict.configSchema.safeParse({ baseUrl, apiKey: 'k_secret', ...extra });

  it.each([
    'https://api.acme.test',
    'https://10.0.0.8:8443',
    'http://127.0.0.1:4010',
    'http://127.9.9.9',
    'http://localhost:3000',
    'http://[::1]:8080',
  ])('accepts %s', (url) => expect(parse(url).success).toBe(true));

  it.each(['http://api.acme.test', 'http://10.0.0.8', 'http://128.0.0.1', 'http://localhost.evil.test', 'http://[::2]'])(
    'refuses plain %s on the baseUrl field, saying why and how to opt in',
    (url) => {
      const result = parse(url);
      expect(result.success).toBe(false);
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ path: ['baseUrl'], message: expect.stringContaining('allowInsecureHttp: true') }),
      ]);
    },
  );

  it('refuses a scheme other than http and https', () => {
    expect(parse('ftp://api.acme.test').error?.issues[0]).toMatchObject({
      path: ['baseUrl'],
      message: expect.stringContaining('https://'),
    });
  });

  it("accepts plain http:// anywhere with the account's explicit allowInsecureHttp: true, and only true", () => {
    expect(parse('http://api.acme.test', { allowInsecureHttp: true }).success).toBe(true);
    expect(parse('http://api.acme.test', { allowInsecureHttp: false }).success).toBe(false);
    expect(parse('http://api.acme.test', { allowInsecureHttp: 'yes' }).success).toBe(false);
  });

  it('keeps the schema an object whose secrets are still marked, strict for anything else', () => {
    const config = strict.configSchema.parse({ baseUrl: 'https://api.acme.test', apiKey: 'k_secret' });
    expect(secretValues(strict.configSchema, config)).toEqual(['k_secret']);
    expect(parse('https://api.acme.test', { typo: 1 }).success).toBe(false);
  });

  it('applies to a config schema that is not a plain object too (no opt-in field then)', () => {
    const piped = plugin(z.object({ baseUrl: z.url() }).transform((c) => ({ ...c })));
    expect(piped.configSchema.safeParse({ baseUrl: 'http://api.acme.test' }).success).toBe(false);
    expect(piped.configSchema.safeParse({ baseUrl: 'https://api.acme.test' }).success).toBe(true);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.3', true],
    ['[::1]', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['127.example.com', false],
    ['localhost.example.com', false],
    ['::2', false],
  ])('%s: %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});
