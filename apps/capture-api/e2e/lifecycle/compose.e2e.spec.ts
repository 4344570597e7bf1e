import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  defined,
  DEPLOY_PGBOUNCER_INI,
  readCompose,
  readDockerfile,
  readIni,
  variablesIn,
  WORKSPACE_ROOT,
} from '@capture-gateway/e2e-support';

// compose.yaml is checked as text (no container runtime here); image-replay.e2e.spec.ts runs the
// image with its environment and compares its stop grace with the service's shutdown deadline.
const compose = readCompose();
const service = (name: string) => defined(compose.services[name], `a ${name} service in compose.yaml`);
const api = service('capture-api');
const env = api.environment ?? {};
const configText = readFileSync(join(WORKSPACE_ROOT, 'deploy/capture.yaml'), 'utf8');
const config = parseYaml(configText) as {
  server: { port: number };
  metrics: { port: number };
  database: { transactionPooling?: boolean; statementTimeoutMs?: number };
};
const runtime = defined(readDockerfile(join(WORKSPACE_ROOT, 'Dockerfile')).at(-1), 'a stage in the Dockerfile');
const exposed = runtime.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(' '));
const pgbouncerIni = readIni(DEPLOY_PGBOUNCER_INI);
const databaseUrl = () => defined(env['DATABASE_URL'], "DATABASE_URL in the service's environment");

// Every `{ env: NAME }` leaf of the config that has no default.
const envRefsIn = (value: unknown): string[] => {
  if (typeof value !== 'object' || value === null) return [];
  const ref = value as { env?: unknown; default?: unknown };
  if (typeof ref.env === 'string') return ref.default === undefined ? [ref.env] : [];
  return Object.values(value).flatMap(envRefsIn);
};
const envRefs = envRefsIn(config);

describe('compose.yaml', () => {
  test('runs two replicas of the image built from the Dockerfile, PgBouncer and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['capture-api', 'pgbouncer', 'postgres']);
    expect(api.build).toBe('.');
    expect(api.deploy?.replicas).toBe(2);
  });

  test("keeps the image's healthcheck and publishes the ports it exposes: the API to the host, metrics inside", () => {
    expect(api.healthcheck).toBeUndefined();
    expect([...(api.ports ?? []), ...(api.expose ?? [])]).toEqual(exposed);
    expect(exposed).toEqual([String(config.server.port), String(config.metrics.port)]);
  });

  test('mounts the config where CAPTURE_CONFIG says, read-only', () => {
    expect(api.volumes).toContain(`./deploy/capture.yaml:${env['CAPTURE_CONFIG']}:ro`);
  });

  test('gives every variable the config refers to, each from the environment, never written in the file', () => {
    expect(envRefs.length).toBeGreaterThan(5);
    for (const name of envRefs) {
      expect([name, env[name] === undefined]).toEqual([name, false]);
      expect([name, variablesIn(env[name] ?? '').length]).toEqual([name, 1]);
    }
    // Secrets of the other services too: all of them come from the host's environment.
    expect(service('postgres').environment?.['POSTGRES_PASSWORD']).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(service('pgbouncer').environment?.['PGBOUNCER_PASSWORD']).toMatch(/^\$\{CAPTURE_DB_PASSWORD:\?/);
  });

  test("reaches PostgreSQL through PgBouncer in transaction mode, with the service's switch on", () => {
    const url = new URL(databaseUrl().replace(/\$\{[^}]+\}/g, 'secret'));
    expect([url.hostname, url.port]).toEqual(['pgbouncer', pgbouncerIni['pgbouncer']?.['listen_port']]);
    expect(Object.keys(pgbouncerIni['databases'] ?? {})).toEqual([url.pathname.slice(1)]);
    expect(pgbouncerIni['pgbouncer']?.['pool_mode']).toBe('transaction');
    expect(config.database.transactionPooling).toBe(true);
    expect(service('pgbouncer').volumes).toContain('./deploy/pgbouncer/pgbouncer.ini:/etc/pgbouncer/pgbouncer.ini:ro');
    expect(service('pgbouncer').environment?.['PGBOUNCER_USER']).toBe(decodeURIComponent(url.username));
  });

  test("sets on the service's role what a pooled connection cannot: the config's statement timeout", () => {
    const volumes = service('postgres').volumes ?? [];
    expect(volumes).toContain('./deploy/postgres/init-capture.sh:/docker-entrypoint-initdb.d/10-init-capture.sh:ro');
    const init = readFileSync(join(WORKSPACE_ROOT, 'deploy/postgres/init-capture.sh'), 'utf8');
    const user = decodeURIComponent(new URL(databaseUrl().replace(/\$\{[^}]+\}/g, 'secret')).username);
    expect(init).toContain(`ALTER ROLE ${user} SET statement_timeout = ${config.database.statementTimeoutMs};`);
  });

  test('caps the heap below the memory limit, leaving the ~130 MB the README measured outside it', () => {
    const limitMb = Number(/^(\d+)m$/.exec(api.mem_limit ?? '')?.[1]);
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec([api.command ?? []].flat().join(' '))?.[1]);
    expect(heapMb).toBeGreaterThanOrEqual(128);
    expect(heapMb).toBeLessThanOrEqual(limitMb - 130);
  });
});
