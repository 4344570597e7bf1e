// Test helper: the repository specs run once per backend, the same SQL on PGlite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CaptureRecord } from '@capture-gateway/domain';
import { newCaptureId } from '../../captures/capture-id';
import { openDatabase } from '../persistence.module';

const PG_URL = process.env['CAPTURE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

// One suite, both backends: the same SQL must behave the same on PGlite and PostgreSQL.
export const backends = [
  {
    name: 'pglite',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'capture-repo-'));
      return { db: await openDatabase({ dataDir }), drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const schema = `capture_unit_${process.pid}_${randomBytes(4).toString('hex')}`;
      const db = await openDatabase({ url: PG_URL, schema });
      return {
        db,
        drop: async () => {
          const c = new pg.Client(PG_URL);
          await c.connect();
          await c.query(`DROP SCHEMA "${schema}" CASCADE`);
          await c.end();
        },
      };
    },
  },
];

export const record = (authorisationId: string, account = 'acc'): CaptureRecord => {
  const now = new Date().toISOString();
  return {
    id: newCaptureId(),
    account,
    provider: 'fake',
    authorisationId,
    requestedAmount: { amount: 9_007_199_254_740_991, currency: 'USD' },
    status: 'unknown',
    providerReferences: {},
    createdAt: now,
    updatedAt: now,
  };
};
