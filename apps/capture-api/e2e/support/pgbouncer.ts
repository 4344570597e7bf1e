import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './event-receiver';
import { WORKSPACE_ROOT } from './service';

/** The PgBouncer settings compose.yaml runs with. */
export const DEPLOY_PGBOUNCER_INI = join(WORKSPACE_ROOT, 'deploy/pgbouncer/pgbouncer.ini');

const PGBOUNCER = process.env['PGBOUNCER_PATH'] ?? '/usr/sbin/pgbouncer';

type Ini = Record<string, Record<string, string>>;

/** An ini file's sections and their `key = value` lines (`;` starts a comment). */
export function readIni(path: string): Ini {
  const ini: Ini = {};
  let section: Record<string, string> = {};
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line)?.[1];
    if (header !== undefined) ini[header] = section = {};
    else {
      const eq = line.indexOf('=');
      section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return ini;
}

export interface RunningPgBouncer {
  /** The database through PgBouncer, for the service. */
  url: string;
  /** Rows of an admin console command (`SHOW POOLS`, `SHOW STATS`), for this database only. */
  show(command: 'POOLS' | 'STATS'): Promise<Array<Record<string, string>>>;
  close(): Promise<void>;
}

/**
 * Debian's PgBouncer (tools/scripts/ensure-pgbouncer.sh installs it) in front of `upstream`'s
 * `database`, with deploy/pgbouncer.ini's settings but its own port, files and trust authentication,
 * and `poolSize` server connections. As root it drops to `postgres` (PgBouncer refuses to run as root).
 */
export async function startPgBouncer(upstream: string, database: string, poolSize: number): Promise<RunningPgBouncer> {
  if (!existsSync(PGBOUNCER)) throw new Error(`${PGBOUNCER} is missing: run tools/scripts/ensure-pgbouncer.sh`);
  const server = new URL(upstream);
  const user = decodeURIComponent(server.username);
  const dir = mkdtempSync(join(tmpdir(), 'capture-pgbouncer-'));
  const port = await freePort();
  const settings = {
    ...readIni(DEPLOY_PGBOUNCER_INI)['pgbouncer'],
    listen_addr: '127.0.0.1',
    listen_port: String(port),
    unix_socket_dir: '',
    auth_type: 'trust',
    auth_file: join(dir, 'userlist.txt'),
    admin_users: user,
    logfile: join(dir, 'pgbouncer.log'),
    pidfile: '',
    default_pool_size: String(poolSize),
  };
  const ini = [
    '[databases]',
    `${database} = host=${server.hostname} port=${server.port || 5432} dbname=${database}`,
    '[pgbouncer]',
    ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`),
  ];
  writeFileSync(join(dir, 'pgbouncer.ini'), `${ini.join('\n')}\n`);
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    for (const file of ['', 'pgbouncer.ini', 'userlist.txt']) chownSync(join(dir, file), id('-u'), id('-g'));
  }
  const child: ChildProcess = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const log = () => (existsSync(settings.logfile) ? readFileSync(settings.logfile, 'utf8') : '');
  const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`;
  const admin = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/pgbouncer`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(admin, () => child.exitCode !== null);
  } catch (error) {
    const message = `PgBouncer did not start: ${(error as Error).message}\n${log()}`;
    await close();
    throw new Error(message);
  }
  return {
    url,
    show: async (command) => {
      // The admin console speaks the simple query protocol only: a query without parameters.
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        const { rows } = await client.query<Record<string, string>>(`SHOW ${command}`);
        return rows.filter((row) => row['database'] === database);
      } finally {
        await client.end();
      }
    },
    close,
  };
}

async function waitUntilListening(admin: string, died: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SHOW VERSION');
      return;
    } catch (error) {
      if (died() || Date.now() > until) throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
