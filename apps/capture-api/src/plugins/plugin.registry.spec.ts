import { defineHttpCapturePlugin, secret, type AnyCapturePlugin } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';
import { ConfigError } from '../config/config.errors';
import { AppConfigSchema } from '../config/config.schemas';
import { PluginRegistry } from './plugin.registry';

const acme = defineHttpCapturePlugin({
  id: 'acme',
  displayName: 'Acme',
  version: '0.0.1',
  configSchema: z.object({ baseUrl: z.url(), apiKey: secret('key') }).strict(),
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

const noop = () => undefined;
const silent = { debug: noop, info: noop, warn: noop, error: noop };

function registry(settings: Record<string, unknown>) {
  const config = AppConfigSchema.parse({
    database: { dataDir: '/tmp/unused' },
    plugins: [{ module: 'acme' }],
    accounts: [{ id: 'acme-prod', plugin: 'acme', settings: { apiKey: 'k_0123456789', ...settings } }],
    clients: [{ id: 'shop', apiKey: 'shop_key_0123456789abcdef', accounts: ['acme-prod'] }],
  });
  return PluginRegistry.create(
    { file: 'capture.yaml', dir: '/tmp', config },
    new Map<string, AnyCapturePlugin>([['acme', acme]]),
    () => silent,
  );
}

describe("an account's provider baseUrl", () => {
  it('refuses plain http:// to another host at start-up, naming the account and the field', () => {
    const attempt = () => registry({ baseUrl: 'http://api.acme.test' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/accounts\[0\] "acme-prod": settings\.baseUrl: plain http:\/\/ to api\.acme\.test is refused/);
  });

  it('accepts https://, a loopback http://, and plain http:// with the account opting in', () => {
    expect(registry({ baseUrl: 'https://api.acme.test' }).account('acme-prod')).toBeDefined();
    expect(registry({ baseUrl: 'http://127.0.0.1:4010' }).account('acme-prod')).toBeDefined();
    expect(registry({ baseUrl: 'http://api.acme.test', allowInsecureHttp: true }).account('acme-prod')).toBeDefined();
  });
});
