import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { clientKeys, type Scope } from '../config/clients.schemas';
import type { ClientConfig } from '../config/config.schemas';

/** An authenticated caller: the client, the key it used, what that key may do and on which accounts. */
export interface ApiClient {
  id: string;
  /** The id of the key used (never the key): for logs and the audit trail. */
  keyId: string;
  accounts: readonly string[];
  scopes: ReadonlySet<Scope>;
  canUse(account: string): boolean;
}

interface KeyEntry {
  hash: Buffer;
  client: ApiClient;
  notAfter?: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Keys are kept as SHA-256 hashes only and compared in constant time. A client may hold several at once.
 * A config reload swaps the whole key list at once (`replace`); a request reads it once, in
 * `authenticate`, and keeps the `ApiClient` it got: it finishes on the key and scopes it started with.
 */
export class ApiClients {
  private keys: readonly KeyEntry[];

  constructor(configs: readonly ClientConfig[], allAccounts: readonly string[]) {
    this.keys = keyEntries(configs, allAccounts);
  }

  /** Builds the next key list and returns the swap; nothing changes until the swap runs. */
  prepare(configs: readonly ClientConfig[], allAccounts: readonly string[]): () => void {
    const next = keyEntries(configs, allAccounts);
    return () => {
      this.keys = next;
    };
  }

  /**
   * The caller whose key this is, unless the key is past its `notAfter`. Every entry is compared, so
   * timing says nothing about which matched.
   */
  authenticate(key: string | undefined, now = new Date()): ApiClient | undefined {
    if (!key) return undefined;
    const hash = sha256(key);
    let found: KeyEntry | undefined;
    for (const entry of this.keys) if (timingSafeEqual(entry.hash, hash)) found = entry;
    return found && !(found.notAfter && found.notAfter <= now) ? found.client : undefined;
  }

  /**
   * The caller a key id names, with a secret derived from that key's hash, for operator sessions:
   * undefined once the key is removed, rotated out or past its `notAfter`, so its sessions end too.
   */
  byKeyId(clientId: string, keyId: string, now = new Date()): { client: ApiClient; secret: Buffer } | undefined {
    const found = this.keys.find((entry) => entry.client.id === clientId && entry.client.keyId === keyId);
    if (!found || (found.notAfter && found.notAfter <= now)) return undefined;
    return { client: found.client, secret: createHmac('sha256', found.hash).update('capture-gateway ops session v1').digest() };
  }
}

function keyEntries(configs: readonly ClientConfig[], allAccounts: readonly string[]): readonly KeyEntry[] {
  return Object.freeze(
    configs.flatMap((config) => {
      const accounts = Object.freeze(config.accounts === '*' ? [...allAccounts] : [...config.accounts]);
      const canUse = (a: string) => accounts.includes(a);
      return clientKeys(config).map((key) => ({
        hash: sha256(key.key),
        client: Object.freeze({ id: config.id, keyId: key.id, accounts, scopes: new Set(key.scopes), canUse }),
        ...(key.notAfter ? { notAfter: key.notAfter } : {}),
      }));
    }),
  );
}
