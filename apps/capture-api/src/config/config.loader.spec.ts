import { parseConfigText } from './config.loader';

const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfigText(text, { file: 'capture.yaml', dir: '/etc/capture', env });

const valid = `
plugins: [{ module: ./fake.plugin.ts }]
accounts:
  - id: fake-us
    plugin: fake
    settings: { apiKey: { env: FAKE_KEY }, baseUrl: "http://x.test" }
clients:
  - id: shop
    apiKey: { env: SHOP_KEY }
    accounts: [fake-us]
`;

describe('config loading', () => {
  const env = { FAKE_KEY: 'sk_1', SHOP_KEY: 'shop_key_0123456789abcdef' };

  test('resolves env references and fills defaults', () => {
    const { config } = parse(valid, env);
    expect(config.accounts[0]).toEqual({
      id: 'fake-us',
      plugin: 'fake',
      timeoutMs: 10_000,
      pendingCheckAfterSeconds: 900,
      settings: { apiKey: 'sk_1', baseUrl: 'http://x.test' },
      providerSlots: { slots: 64 },
    });
    expect(config.clients[0]?.apiKey).toBe(env.SHOP_KEY);
    expect(config.idempotency.leaseSeconds).toBe(30);
  });

  test('DATABASE_URL and PORT override the file', () => {
    const { config } = parse(valid, { ...env, DATABASE_URL: 'postgres://db/x', PORT: '8080' });
    expect(config.database.url).toBe('postgres://db/x');
    expect(config.server.port).toBe(8080);
  });

  test.each([
    [valid, { SHOP_KEY: env.SHOP_KEY }, 'capture.yaml: accounts[0] "fake-us": settings.apiKey: environment variable FAKE_KEY is not set'],
    [
      valid.replace('id: fake-us', 'id: Fake US'),
      env,
      'capture.yaml: accounts[0] "Fake US": id: must be lower-case letters, digits, "-" or "_"',
    ],
    [
      valid.replace('accounts: [fake-us]', 'accounts: [nope]'),
      env,
      'capture.yaml: clients[0] "shop": accounts[0]: no account has id "nope"',
    ],
    ['plugins: []\naccounts: []\nclients: []', env, 'capture.yaml: plugins: Too small: expected array to have >=1 items'],
    ['plugins: [', env, 'capture.yaml: not valid YAML'],
    [
      `${valid}reconciler: { leaseSeconds: 10 }\n`,
      env,
      'capture.yaml: reconciler.leaseSeconds: must exceed the longest account timeout plus 2000 ms (12000 ms)',
    ],
    [
      valid.replace('    apiKey: { env: SHOP_KEY }', '    apiKey: { env: SHOP_KEY }\n    keys: [{ key: { env: SHOP_KEY } }]'),
      env,
      'capture.yaml: clients[0] "shop": apiKey: give either apiKey or keys (a list), not both and not neither',
    ],
    [
      valid.replace('    apiKey: { env: SHOP_KEY }', '    keys: [{ key: { env: SHOP_KEY } }, { key: { env: SHOP_KEY } }]'),
      env,
      'capture.yaml: clients[0] "shop": keys[1]: this API key is used twice: each key must name one client',
    ],
    [
      valid.replace('    apiKey: { env: SHOP_KEY }', '    keys: [{ key: { env: SHOP_KEY }, scopes: [captures:refund] }]'),
      env,
      'capture.yaml: clients[0] "shop": keys[0].scopes[0]: Invalid option',
    ],
    [
      valid.replace('    plugin: fake\n', '    plugin: fake\n    providerSlots: { slots: 65 }\n'),
      env,
      `capture.yaml: accounts[0] "fake-us": providerSlots.slots: must be at most the provider HTTP pool's 64 connections`,
    ],
    [
      valid.replace('    plugin: fake\n', '    plugin: fake\n    providerSlots: { slots: 8, perClient: 9 }\n'),
      env,
      'capture.yaml: accounts[0] "fake-us": providerSlots.perClient: must be at most slots (8)',
    ],
    [
      valid.replace('    plugin: fake\n', '    plugin: fake\n    providerSlots: { slots: 8, reconciler: 9 }\n'),
      env,
      'capture.yaml: accounts[0] "fake-us": providerSlots.reconciler: must be at most slots (8)',
    ],
    [
      valid.replace('    plugin: fake\n', '    plugin: fake\n    timeoutMs: 2000\n    providerSlots: { waitMs: 2000 }\n'),
      env,
      `capture.yaml: accounts[0] "fake-us": providerSlots.waitMs: must be shorter than the account's timeoutMs (2000)`,
    ],
  ])('refuses with one message naming the file, the entry and the field (%#)', (text, vars, message) => {
    expect(() => parse(text, vars)).toThrow(message);
  });
});
