import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchema, postgresUrl, uniqueSchemaName } from './postgres';

export interface DatabaseSettings {
  url?: string;
  schema?: string;
  dataDir?: string;
}

export interface Backend {
  name: 'embedded' | 'postgres';
  /** A fresh, empty database for one suite, and how to remove it. */
  create(): Promise<{ database: DatabaseSettings; destroy(): Promise<void> }>;
}

export const embeddedBackend: Backend = {
  name: 'embedded',
  async create() {
    const dataDir = mkdtempSync(join(tmpdir(), 'capture-e2e-embedded-'));
    return { database: { dataDir }, destroy: async () => rmSync(dataDir, { recursive: true, force: true }) };
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  async create() {
    const url = await postgresUrl();
    const schema = uniqueSchemaName();
    return { database: { url, schema }, destroy: () => dropSchema(url, schema) };
  },
};

export const BACKENDS: readonly Backend[] = [embeddedBackend, postgresBackend];
