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

/** An embedded database: always in its own folder, which tests may read once the service stopped. */
export const embeddedBackend = {
  name: 'embedded',
  async create(): Promise<{ database: DatabaseSettings & { dataDir: string }; destroy(): Promise<void> }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'capture-e2e-embedded-'));
    return { database: { dataDir }, destroy: async () => rmSync(dataDir, { recursive: true, force: true }) };
  },
} satisfies Backend;

export const postgresBackend: Backend = {
  name: 'postgres',
  async create() {
    const url = await postgresUrl();
    const schema = uniqueSchemaName();
    return { database: { url, schema }, destroy: () => dropSchema(url, schema) };
  },
};

export const BACKENDS: readonly Backend[] = [embeddedBackend, postgresBackend];
