import { parseConfigText } from './config.loader';
import { deliveryTimeoutProblem, httpServerTimeouts, shutdownDeadlineMs } from './timeouts';

const parse = (text: string, env: NodeJS.ProcessEnv = {}) =>
  parseConfigText(text, { file: 'capture.yaml', dir: '/etc/capture', env: { SHOP_KEY: 'shop_key_0123456789abcdef', ...env } });

const config = (extra = '', timeoutMs = 10_000) => `
plugins: [{ module: ./fake.plugin.ts }]
accounts:
  - { id: fake-us, plugin: fake, timeoutMs: ${timeoutMs} }
  - { id: fake-eu, plugin: fake, timeoutMs: 1000 }
clients:
  - { id: shop, apiKey: { env: SHOP_KEY }, accounts: '*' }
${extra}`;

describe('timeouts that agree', () => {
  test('the defaults', () => {
    const { server, database, metrics } = parse(config()).config;
    expect(server).toEqual({ requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 });
    expect(database).toEqual({
      statementTimeoutMs: 30_000,
      transactionPooling: false,
      embeddedInProduction: false,
      outcomeRetrySeconds: 300,
    });
    expect(metrics).toEqual({});
  });

  test('an idempotency lease not longer than the longest account timeout plus the grace is refused, naming the field', () => {
    expect(() => parse(config('idempotency: { leaseSeconds: 12 }'))).toThrow(
      'capture.yaml: idempotency.leaseSeconds: must exceed the longest account timeout plus 2000 ms (12000 ms)',
    );
    expect(() => parse(config('reconciler: { leaseSeconds: 200 }', 40_000))).toThrow(
      'capture.yaml: idempotency.leaseSeconds: must exceed the longest account timeout plus 2000 ms (42000 ms)',
    );
    expect(parse(config('idempotency: { leaseSeconds: 13 }')).config.idempotency.leaseSeconds).toBe(13);
  });

  test('the shutdown deadline derives from the longest provider call, not a constant', () => {
    const short = parse(config()).config;
    expect(shutdownDeadlineMs(short)).toBe(10_000 + 10_000 + 2_000 + 5_000);
    const long = parse(config('idempotency: { leaseSeconds: 60 }\nreconciler: { leaseSeconds: 120 }', 45_000)).config;
    expect(shutdownDeadlineMs(long)).toBe(10_000 + 45_000 + 2_000 + 5_000);
  });

  test('HTTP timeouts: the request timeout and keep-alive as configured; the idle-socket timeout outlasts any provider call', () => {
    const loaded = parse(config('server: { requestTimeoutMs: 2000, keepAliveTimeoutMs: 65000 }', 20_000)).config;
    expect(httpServerTimeouts(loaded)).toEqual({
      requestTimeout: 2_000,
      keepAliveTimeout: 65_000,
      connectionTimeout: 20_000 + 2_000 + 5_000,
      connectionsCheckingInterval: 500,
    });
  });
});

describe('event delivery timeouts that agree with the lease and the shutdown', () => {
  // One client with a subscription: only then do deliveries run, and only then is the timeout checked.
  const subscribed = (events: string, server = '', timeoutMs = 10_000) => `
plugins: [{ module: ./fake.plugin.ts }]
accounts: [{ id: fake-us, plugin: fake, timeoutMs: ${timeoutMs} }]
clients:
  - id: shop
    apiKey: { env: SHOP_KEY }
    accounts: '*'
    subscriptions: [{ id: orders, url: 'https://shop.example/events', secrets: [whsec_orders_0123456789] }]
${events}
${server}`;

  test('the defaults agree: a 10 s attempt within a 60 s lease and a 27 s shutdown', () => {
    const { config } = parse(subscribed(''));
    expect(config.events.delivery).toMatchObject({ timeoutMs: 10_000, leaseSeconds: 60 });
    expect(deliveryTimeoutProblem(config)).toBeUndefined();
  });

  test('an attempt that could outlive its lease is refused, naming the setting (the 5 s lease and 7 s receiver of issue 23)', () => {
    expect(() => parse(subscribed('events: { delivery: { leaseSeconds: 5, timeoutMs: 7000 } }'))).toThrow(
      'capture.yaml: events.delivery.timeoutMs: must be at most 3000 ms: events.delivery.leaseSeconds less 2000 ms',
    );
    // The margin is required, not only a shorter timeout.
    expect(() => parse(subscribed('events: { delivery: { leaseSeconds: 5, timeoutMs: 3001 } }'))).toThrow('at most 3000 ms');
    expect(parse(subscribed('events: { delivery: { leaseSeconds: 5, timeoutMs: 3000 } }')).config.events.delivery.timeoutMs).toBe(3000);
  });

  test('an attempt that could outlast the shutdown deadline is refused, naming the setting', () => {
    // Deadline: 1000 + 2000 + 2000 + 5000 = 10000 ms; less the 2000 ms margin.
    const short = 'server: { requestTimeoutMs: 1000 }';
    expect(() => parse(subscribed('', short, 2_000))).toThrow(
      'capture.yaml: events.delivery.timeoutMs: must be at most 8000 ms: the shutdown deadline (server.requestTimeoutMs + the longest account timeout + 7000 ms) less 2000 ms',
    );
    expect(deliveryTimeoutProblem(parse(subscribed('events: { delivery: { timeoutMs: 8000 } }', short, 2_000)).config)).toBeUndefined();
  });

  test('where nothing is delivered (no subscription, or delivery off), the timeout is not held against them', () => {
    expect(parse(config('events: { delivery: { leaseSeconds: 5, timeoutMs: 7000 } }')).config.events.delivery.timeoutMs).toBe(7000);
    const off = parse(subscribed('events: { delivery: { enabled: false, leaseSeconds: 5, timeoutMs: 7000 } }'));
    expect(off.config.events.delivery.enabled).toBe(false);
  });
});

describe('server.trustProxy', () => {
  test.each([[1], [2], [['10.0.0.0/8', '192.0.2.1', '2001:db8::/32', 'loopback']]])('accepts %j', (value) => {
    expect(parse(config(`server: { trustProxy: ${JSON.stringify(value)} }`)).config.server.trustProxy).toEqual(value);
  });

  test.each([
    ['true', 'server.trustProxy'],
    ['["10.0.0.0/33"]', 'server.trustProxy'],
    ['["proxy.internal"]', 'server.trustProxy'],
    ['[]', 'server.trustProxy'],
  ])('refuses %s', (value, field) => {
    expect(() => parse(config(`server: { trustProxy: ${value} }`))).toThrow(`capture.yaml: ${field}`);
  });
});

describe('the embedded database in production', () => {
  test('NODE_ENV=production on the embedded database is refused unless database.embeddedInProduction is true', () => {
    expect(() => parse(config(), { NODE_ENV: 'production' })).toThrow(
      'capture.yaml: database.embeddedInProduction: NODE_ENV is production and no database.url is set',
    );
    expect(parse(config('database: { embeddedInProduction: true }'), { NODE_ENV: 'production' }).config.database.embeddedInProduction).toBe(
      true,
    );
    expect(parse(config(), { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }).config.database.url).toBe('postgres://db/x');
    expect(parse(config(), { NODE_ENV: 'development' }).config.database.url).toBeUndefined();
  });
});
