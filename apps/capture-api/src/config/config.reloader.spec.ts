import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { ApiClients } from '../auth/api-clients';
import { SubscriptionRegistry } from '../events/subscription.registry';
import { createAppLogger, MetricsService } from '../observability';
import { loadConfigFile } from './config.loader';
import { ConfigReloader } from './config.reloader';

const OLD_KEY = 'shop_key_old_0123456789';
const NEW_KEY = 'shop_key_new_0123456789';
const SECRET = 'whsec_0123456789abcdef';

const config = (clients: unknown[], extra: Record<string, unknown> = {}) => ({
  plugins: [{ module: './fake.plugin.ts' }],
  accounts: [{ id: 'fake-us', plugin: 'fake', settings: { baseUrl: 'http://x.test' } }],
  clients,
  ...extra,
});
const shop = (keys: Array<{ id: string; key: string; scopes?: string[] }>, subscriptions: unknown[] = []) => ({
  id: 'shop',
  keys,
  accounts: ['fake-us'],
  subscriptions,
});

describe('config reload', () => {
  let dir: string;
  let path: string;
  let lines: string[];
  let metrics: MetricsService;
  let reloader: ConfigReloader;
  let clients: ApiClients;
  let subscriptions: SubscriptionRegistry;
  const write = (content: unknown) => writeFileSync(path, typeof content === 'string' ? content : stringify(content));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reload-spec-'));
    path = join(dir, 'capture.yaml');
    write(config([shop([{ id: 'old', key: OLD_KEY }])]));
    lines = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const appLogger = createAppLogger({ destination, secrets: [OLD_KEY] });
    const loaded = loadConfigFile(path, {});
    metrics = new MetricsService();
    reloader = new ConfigReloader(loaded, appLogger, metrics);
    clients = new ApiClients(loaded.config.clients, ['fake-us']);
    reloader.register((next) => clients.prepare(next.config.clients, ['fake-us']));
    subscriptions = new SubscriptionRegistry(loaded, reloader);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const metricsText = () => metrics.registry.metrics();

  test('swaps keys, scopes and subscriptions together; a caller keeps the client it authenticated as', async () => {
    const before = clients.authenticate(OLD_KEY);
    expect(before?.scopes.has('captures:create')).toBe(true);
    const hashBefore = /capture_config_info\{hash="([0-9a-f]{12})"\} 1/.exec(await metricsText())?.[1];
    const changed: string[][] = [];
    subscriptions.onChange((all) => changed.push(all.map((s) => s.id)));

    write(
      config([
        shop(
          [{ id: 'new', key: NEW_KEY, scopes: ['captures:read'] }],
          [{ id: 'orders', url: 'http://127.0.0.1:1/events', secrets: [SECRET] }],
        ),
      ]),
    );
    expect(reloader.reload({})).toMatchObject({ result: 'applied' });

    expect(clients.authenticate(OLD_KEY)).toBeUndefined();
    expect(clients.authenticate(NEW_KEY)).toMatchObject({ id: 'shop', keyId: 'new' });
    expect([...(clients.authenticate(NEW_KEY)?.scopes ?? [])]).toEqual(['captures:read']);
    // The request that authenticated before the swap still holds its own client and scopes.
    expect(before).toMatchObject({ id: 'shop', keyId: 'old' });
    expect(before?.scopes.has('captures:create')).toBe(true);
    expect(subscriptions.targetsFor('fake-us')).toEqual([expect.objectContaining({ subscriptionId: 'shop/orders' })]);
    expect(changed).toEqual([['shop/orders']]);
    const text = await metricsText();
    expect(text).toContain('capture_config_reloads_total{result="applied"} 1');
    const hashAfter = /capture_config_info\{hash="([0-9a-f]{12})"\} 1/.exec(text)?.[1];
    expect(hashAfter).toBeDefined();
    expect(hashAfter).not.toBe(hashBefore);
    expect(text.match(/capture_config_info\{/g)).toHaveLength(1);
    // The new key and secret are scrubbed from logs from now on.
    reloader['logger'].info({ leaked: `${NEW_KEY} ${SECRET}` }, 'probe');
    expect(lines.join('')).not.toContain(NEW_KEY);
    expect(lines.join('')).not.toContain(SECRET);
  });

  test('an invalid file keeps the running config and logs one line naming what is wrong', async () => {
    write(config([shop([{ id: 'new', key: NEW_KEY, scopes: ['captures:fly'] }])]));
    expect(reloader.reload({})).toMatchObject({ result: 'invalid' });
    expect(clients.authenticate(OLD_KEY)).toMatchObject({ keyId: 'old' });
    expect(clients.authenticate(NEW_KEY)).toBeUndefined();
    const line = JSON.parse(lines.at(-1) ?? '{}') as { level: string; message: string };
    expect(line.level).toBe('error');
    expect(line.message).toMatch(
      /^config reload invalid, running config kept: capture\.yaml: clients\[0\] "shop": keys\[0\]\.scopes\[0\]: /,
    );
    expect(line.message).not.toContain(NEW_KEY);
    expect(await metricsText()).toContain('capture_config_reloads_total{result="invalid"} 1');

    write('clients: [');
    expect(reloader.reload({})).toMatchObject({ result: 'invalid', reason: expect.stringContaining('capture.yaml: not valid YAML') });
  });

  test('a change only a restart can apply refuses the whole reload and names the sections', async () => {
    write(
      config([shop([{ id: 'new', key: NEW_KEY }])], {
        server: { port: 4000 },
        database: { url: 'postgres://db/x' },
      }),
    );
    expect(reloader.reload({})).toMatchObject({ result: 'refused', reason: expect.stringContaining('database, server changed') });
    expect(clients.authenticate(OLD_KEY)).toBeDefined();
    expect(clients.authenticate(NEW_KEY)).toBeUndefined();
    expect(lines.at(-1)).toContain('only clients reload, the rest needs a restart');
    expect(await metricsText()).toContain('capture_config_reloads_total{result="refused"} 1');
  });

  test('a registry that cannot build its snapshot leaves every registry as it was', () => {
    reloader.register(() => {
      throw new Error('cannot build');
    });
    write(config([shop([{ id: 'new', key: NEW_KEY }], [{ id: 'orders', url: 'http://127.0.0.1:1/events', secrets: [SECRET] }])]));
    expect(reloader.reload({})).toMatchObject({ result: 'invalid', reason: 'cannot build' });
    expect(clients.authenticate(OLD_KEY)).toBeDefined();
    expect(subscriptions.all).toEqual([]);
  });

  test('a key rotated in CAPTURE_SECRETS_FILE is read again at the reload', () => {
    const secrets = join(dir, 'secrets.env');
    writeFileSync(secrets, '# nothing yet\n');
    write(config([shop([{ id: 'old', key: OLD_KEY }]), { id: 'ops', keys: [{ id: 'k', key: { env: 'OPS_KEY' } }], accounts: '*' }]));
    const env = { CAPTURE_SECRETS_FILE: secrets };
    expect(reloader.reload(env)).toMatchObject({
      result: 'invalid',
      reason: 'capture.yaml: clients[1] "ops": keys[0].key: environment variable OPS_KEY is not set',
    });
    writeFileSync(secrets, `OPS_KEY=${NEW_KEY}\n`);
    expect(reloader.reload(env)).toMatchObject({ result: 'applied' });
    expect(clients.authenticate(NEW_KEY)).toMatchObject({ id: 'ops', keyId: 'k' });
    rmSync(secrets);
    expect(reloader.reload(env)).toMatchObject({
      result: 'invalid',
      reason: expect.stringMatching(/^CAPTURE_SECRETS_FILE .*secrets\.env: cannot read it \(ENOENT\)$/),
    });
    expect(clients.authenticate(NEW_KEY)).toBeDefined();
  });

  test('the same file again is unchanged', () => {
    expect(reloader.reload({})).toMatchObject({ result: 'unchanged' });
  });
});
