import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientConfig } from '../config/config.schemas';

/** An authenticated caller and the accounts it may use. */
export interface ApiClient {
  id: string;
  accounts: readonly string[];
  canUse(account: string): boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Keys are kept as SHA-256 hashes only and compared in constant time. */
export class ApiClients {
  private readonly clients: { hash: Buffer; client: ApiClient }[];

  constructor(configs: readonly ClientConfig[], allAccounts: readonly string[]) {
    this.clients = configs.map((config) => {
      const accounts = config.accounts === '*' ? [...allAccounts] : [...config.accounts];
      return { hash: sha256(config.apiKey), client: { id: config.id, accounts, canUse: (a: string) => accounts.includes(a) } };
    });
  }

  /** The client whose key this is; every entry is compared so timing says nothing about which matched. */
  authenticate(key: string | undefined): ApiClient | undefined {
    if (!key) return undefined;
    const hash = sha256(key);
    let found: ApiClient | undefined;
    for (const entry of this.clients) if (timingSafeEqual(entry.hash, hash)) found = entry.client;
    return found;
  }
}
