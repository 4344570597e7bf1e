import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError, configProblem } from './config.errors';
import { clientKeys } from './clients.schemas';
import { AppConfigSchema, type LoadedConfig, PROVIDER_GRACE_MS } from './config.schemas';
import { entryIdAt, resolveEnvRefs } from './env-refs';
import { deliveryTimeoutProblem, longestProviderCallMs } from './timeouts';

export const DEFAULT_CONFIG_PATH = 'apps/capture-api/config/capture.yaml';

/** The config file's path: `CAPTURE_CONFIG`, else the default, relative to the working directory. */
export function configPathFrom(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['CAPTURE_CONFIG'] ?? DEFAULT_CONFIG_PATH);
}

/**
 * The variables `{ env }` references resolve against: the process's environment and, when
 * `CAPTURE_SECRETS_FILE` names a dotenv-style file, its variables over them. The file is read at
 * start-up and again at each reload, so a key can be rotated without a restart (a process's own
 * environment never changes after it starts).
 */
export function configEnvFrom(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = env['CAPTURE_SECRETS_FILE'];
  if (!file) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`CAPTURE_SECRETS_FILE ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return { ...env, ...parseEnv(text) };
}

/** Reads, resolves `{ env }` references and validates a config file (plugins are checked later). */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseConfigText(text, { file, dir: dirname(resolve(path)), env, json: path.endsWith('.json') });
}

export function parseConfigText(
  text: string,
  options: { file: string; dir: string; env: NodeJS.ProcessEnv; json?: boolean },
): LoadedConfig {
  const { file, dir, env } = options;
  let raw: unknown;
  try {
    raw = options.json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid ${options.json ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  const resolved = resolveEnvRefs(raw, env, file);
  const withEnv = applyEnvOverrides(resolved, env);
  const parsed = AppConfigSchema.safeParse(withEnv);
  if (!parsed.success) {
    // zod reports at least one issue with every failure.
    const issue = parsed.error.issues[0] ?? { path: [], message: 'is invalid' };
    throw configProblem(file, issue.path, issue.message, entryIdAt(withEnv, issue.path));
  }
  checkReferences(file, parsed.data);
  checkProduction(file, parsed.data, env);
  return { file, dir, config: parsed.data };
}

// The embedded database is one process on one machine: no replicas, no failover, backups by copying
// a folder. In production that must be a decision written in the config, not a forgotten URL.
function checkProduction(file: string, config: LoadedConfig['config'], env: NodeJS.ProcessEnv): void {
  if (env['NODE_ENV'] !== 'production' || config.database.url || config.database.embeddedInProduction) return;
  throw configProblem(
    file,
    ['database', 'embeddedInProduction'],
    'NODE_ENV is production and no database.url is set: give a PostgreSQL url, or set embeddedInProduction: true to run on the embedded database (one process)',
  );
}

function checkReferences(file: string, config: LoadedConfig['config']): void {
  const accountIds = new Set<string>();
  config.accounts.forEach((account, i) => {
    if (accountIds.has(account.id))
      throw configProblem(file, ['accounts', i, 'id'], `account id "${account.id}" is used twice`, account.id);
    accountIds.add(account.id);
  });
  // Both leases must outlast a provider call: past the reconciler's, another replica may check the
  // same capture; past an idempotency key's, a retry is answered while the first call still runs.
  const longest = longestProviderCallMs(config);
  const leases = [
    ['reconciler', config.reconciler.leaseSeconds],
    ['idempotency', config.idempotency.leaseSeconds],
  ] as const;
  for (const [section, seconds] of leases) {
    if (seconds * 1000 <= longest) {
      throw configProblem(
        file,
        [section, 'leaseSeconds'],
        `must exceed the longest account timeout plus ${PROVIDER_GRACE_MS} ms (${longest} ms)`,
      );
    }
  }
  const delivery = deliveryTimeoutProblem(config);
  if (delivery) throw configProblem(file, delivery.path, delivery.message);
  const clientIds = new Set<string>();
  const keys = new Set<string>();
  const keyIds = new Set<string>();
  config.clients.forEach((client, i) => {
    if (clientIds.has(client.id)) throw configProblem(file, ['clients', i, 'id'], `client id "${client.id}" is used twice`, client.id);
    clientIds.add(client.id);
    clientKeys(client).forEach((key, j) => {
      const where = client.keys ? ['clients', i, 'keys', j] : ['clients', i, 'apiKey'];
      if (keys.has(key.key)) throw configProblem(file, where, 'this API key is used twice: each key must name one client', client.id);
      keys.add(key.key);
      if (keyIds.has(`${client.id}/${key.id}`)) throw configProblem(file, [...where, 'id'], `key id "${key.id}" is used twice`, client.id);
      keyIds.add(`${client.id}/${key.id}`);
    });
    const subscriptionIds = new Set<string>();
    client.subscriptions.forEach((subscription, j) => {
      const where = ['clients', i, 'subscriptions', j];
      if (subscriptionIds.has(subscription.id))
        throw configProblem(file, [...where, 'id'], `subscription id "${subscription.id}" is used twice`, client.id);
      subscriptionIds.add(subscription.id);
      // A client's events never go to another client's endpoint: only accounts this client may use.
      subscription.accounts?.forEach((id, k) => {
        const granted = client.accounts === '*' ? accountIds.has(id) : client.accounts.includes(id);
        if (!granted) throw configProblem(file, [...where, 'accounts', k], `the client may not use account "${id}"`, client.id);
      });
    });
    if (client.accounts === '*') return;
    client.accounts.forEach((id, j) => {
      if (!accountIds.has(id)) throw configProblem(file, ['clients', i, 'accounts', j], `no account has id "${id}"`, client.id);
    });
  });
}

// `DATABASE_URL` and `PORT` are the conventional switches operators expect to win over the file.
function applyEnvOverrides(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  if (env['DATABASE_URL']) config['database'] = { ...(config['database'] as object), url: env['DATABASE_URL'] };
  if (env['PORT']) config['server'] = { ...(config['server'] as object), port: env['PORT'] };
  return config;
}
