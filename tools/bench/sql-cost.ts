// `npm run bench:sql [-- --captures=6000 --preload=20000 --connections=8 --upto=008 --unnamed]`: what
// the two statements of a capture cost PostgreSQL alone, without the service: CPU of the backends
// running them (from /proc), WAL per statement, and how many key completions were HOT updates.
// `--upto=NNN` applies the migrations up to that number only, to compare a schema with the one before
// it; `--unnamed` sends them unnamed (parsed and planned each time), as database.transactionPooling does;
// `--no-event` writes the outcome without its capture_events row, to price that row.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { WORKSPACE, cpuMsOf } from './processes';

const option = (name: string, fallback: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const CAPTURES = Number(option('captures', '6000'));
const PRELOAD = Number(option('preload', '20000'));
const CONNECTIONS = Number(option('connections', '8'));
const UP_TO = option('upto', '999');
const UNNAMED = process.argv.includes('--unnamed');
const NO_EVENT = process.argv.includes('--no-event');

// The compiled service's own statements and migrations (`npm run build`), read at run time.
const POSTGRES = join(WORKSPACE, 'dist/apps/capture-api/src/persistence/postgres');
type Statement = { name: string; text: string };
const { CLAIM_AND_INSERT, WRITE_CAPTURE } = require(join(POSTGRES, 'pg-capture.statements.js')) as Record<string, Statement>;

/** Parameters as PgCaptureStore binds them for one capture through PaymentOptions, answered `succeeded`. */
function captureParams(n: number, run: string) {
  const id = `cap_${run}${n.toString(36).padStart(8, '0')}${randomBytes(4).toString('hex')}`;
  const key = `key-${run}-${n}`;
  const now = new Date().toISOString();
  const capture = { id, account: 'po-bench', provider: 'paymentoptions', authorisationId: `txn-${run}-${n}`, status: 'succeeded' };
  const response = JSON.stringify({
    ...capture,
    requestedAmount: { amount: 1000, currency: 'JPY' },
    capturedAmount: { amount: 1000, currency: 'JPY' },
    providerReferences: { captureId: `pc-${n}` },
    createdAt: now,
    updatedAt: now,
  });
  const event = JSON.stringify({
    id: `evt_${id}`,
    type: 'capture.succeeded',
    createdAt: now,
    sequence: 1,
    data: { capture: JSON.parse(response), source: 'api' },
  });
  const insert = [
    id,
    'bench',
    'po-bench',
    'paymentoptions',
    capture.authorisationId,
    true,
    1000,
    'JPY',
    '{}',
    null,
    null,
    now,
    new Date(Date.now() + 60_000).toISOString(),
    key,
    randomBytes(32).toString('hex'),
    `req-${n}`,
    true, // final
    null, // provider options
  ];
  const history = JSON.stringify([
    {
      kind: 'status',
      from_status: 'unknown',
      to_status: 'succeeded',
      source: 'api',
      actor: 'bench',
      reason: null,
      request_id: `req-${n}`,
      detail: null,
      changed_at: now,
    },
  ]);
  // WRITE_CAPTURE's parameters, as PgCaptureStore binds them for a first answer over the inserted row (version 1).
  const outcome = [
    id,
    1,
    'succeeded',
    1000,
    'JPY',
    null,
    JSON.stringify({ captureId: `pc-${n}` }),
    null,
    now,
    null, // next check: none, the capture is final
    NO_EVENT ? 0 : 1,
    0,
    0,
    null,
    true,
    120, // the provider's latency (ms) and kind of answer, for provider health (migration 009)
    'succeeded',
    history,
    null,
    null,
    null,
    null,
    NO_EVENT ? null : `evt_${id}`,
    NO_EVENT ? null : 'capture.succeeded',
    NO_EVENT ? null : event,
    '[]',
    'bench',
    key,
    201,
    response,
    null,
    false,
  ];
  return { insert, outcome };
}

async function connect(schema?: string): Promise<Client> {
  const client = new Client({ connectionString: DATABASE_URL, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  return client;
}

async function main(): Promise<void> {
  const schema = `sqlcost_${Date.now().toString(36)}`;
  const admin = await connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    await admin.query(`SET search_path = ${schema}`);
    const migrations = readdirSync(join(POSTGRES, 'migrations'))
      .filter((f) => /^\d+_.+\.sql$/.test(f) && f.slice(0, 3) <= UP_TO)
      .sort();
    for (const file of migrations) await admin.query(readFileSync(join(POSTGRES, 'migrations', file), 'utf8'));
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => connect(schema)));
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0),
    );
    const named = (name: string) => (UNNAMED ? {} : { name });
    const capture = async (client: Client, n: number, run: string) => {
      const { insert, outcome } = captureParams(n, run);
      const claimed = await client.query({ ...named('insert'), text: CLAIM_AND_INSERT.text, values: insert });
      if (claimed.rows[0]?.inserted !== 1) throw new Error('the capture was not inserted');
      const applied = await client.query({ ...named('outcome'), text: WRITE_CAPTURE.text, values: outcome });
      if (applied.rows[0]?.applied !== 1) throw new Error('the outcome was not applied');
    };
    const many = async (count: number, run: string) => {
      let next = 0;
      await Promise.all(
        clients.map(async (client) => {
          for (let n = next++; n < count; n = next++) await capture(client, n, run);
        }),
      );
    };
    await many(PRELOAD, 'pre');
    const cpuBefore = pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
    const started = performance.now();
    await many(CAPTURES, 'run');
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0) - cpuBefore;
    // WAL per statement, one capture at a time so no other statement of ours lands in between.
    const wal = { insert: [] as number[], outcome: [] as number[] };
    const lsn = async () => (await admin.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]?.lsn;
    const since = async (from?: string) =>
      Number((await admin.query<{ d: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS d', [from])).rows[0]?.d);
    const one = clients[0] as Client;
    for (let n = 0; n < 300; n++) {
      const { insert, outcome } = captureParams(n, 'wal');
      let from = await lsn();
      await one.query({ ...named('insert'), text: CLAIM_AND_INSERT.text, values: insert });
      wal.insert.push(await since(from));
      from = await lsn();
      await one.query({ ...named('outcome'), text: WRITE_CAPTURE.text, values: outcome });
      wal.outcome.push(await since(from));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const hot = (
      await admin.query<{ upd: string; hot: string }>(
        `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'idempotency_keys'`,
        [schema],
      )
    ).rows[0];
    console.log(
      `migrations ${migrations[0]} … ${migrations.at(-1)}; ${CAPTURES} captures after ${PRELOAD}, ${CONNECTIONS} connections, ${UNNAMED ? 'unnamed' : 'named'} statements${NO_EVENT ? ', no event row' : ''}`,
    );
    console.log(`PostgreSQL backend CPU per capture: ${(cpuMs / CAPTURES).toFixed(3)} ms (${(CAPTURES / seconds).toFixed(0)} captures/s)`);
    console.log(`WAL per statement (median of 300, one at a time): insert ${median(wal.insert)} B, outcome ${median(wal.outcome)} B`);
    console.log(
      `idempotency key updates that were HOT: ${hot ? ((Number(hot.hot) / Math.max(1, Number(hot.upd))) * 100).toFixed(0) : '?'} % (statistics lag by a moment)`,
    );
    await Promise.all(clients.map((c) => c.end()));
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
