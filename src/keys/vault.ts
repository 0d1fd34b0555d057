import type Keyv from 'keyv';
import { keyId, open, seal, type Sealed } from './crypto.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import { mask } from '../shared/secrets.ts';
import type { Vendor } from '../shared/types.ts';
import { VENDORS } from '../shared/types.ts';

/** `unreadable`: sealed with another master key, so it cannot be opened until that key is back. */
export type KeyHealth = 'ok' | 'unverified' | 'unhealthy' | 'unreadable';

/** What may be shown about a stored key: never the key itself. */
export interface KeyInfo {
  vendor: Vendor;
  masked: string;
  addedAt: string;
  addedBy?: string;
  lastVerifiedAt?: string;
  health: KeyHealth;
  healthReason?: string;
}

interface KeyRecord extends Omit<KeyInfo, 'vendor' | 'masked'> {
  v: 1;
  sealed: Sealed;
  last4: string;
}

/** Encrypted per-workspace vendor keys (AES-256-GCM, AAD = workspace + vendor). */
export interface KeyVault {
  set(workspaceId: string, vendor: Vendor, key: string, meta?: { addedBy?: string; verifiedAt?: string }): Promise<KeyInfo>;
  get(workspaceId: string, vendor: Vendor): Promise<string | undefined>;
  list(workspaceId: string): Promise<KeyInfo[]>;
  /** Every stored key of a workspace with its info, decrypted, in one read. */
  unlockAll(workspaceId: string): Promise<{ info: KeyInfo; key: string }[]>;
  setHealth(workspaceId: string, vendor: Vendor, health: KeyHealth, reason?: string, verifiedAt?: string): Promise<void>;
  remove(workspaceId: string, vendor: Vendor): Promise<boolean>;
  /** Crypto-shreds every key of a workspace (uninstall, tokens revoked). */
  removeWorkspace(workspaceId: string): Promise<void>;
}

/** Additional authenticated data: a ciphertext only opens in the row it was written for. */
export function keyAad(workspaceId: string, vendor: Vendor): string {
  return `hive:vendor-key:v1:${workspaceId}:${vendor}`;
}

const rowKey = (ws: string, vendor: Vendor) => `${ws}|${vendor}`;

/**
 * How long a workspace's sealed key rows are served from memory. Writes through this vault
 * invalidate them at once; a change made by another process sharing the store (the operator CLI
 * `hive keys set` while the bot runs) is seen within this bound.
 */
export const KEY_CACHE_TTL_MS = 3000;

export interface KeyVaultOptions {
  store: Keyv<KeyRecord>;
  masterKey: Buffer;
  secrets: SecretRegistry;
  now?: () => Date;
  /** Milliseconds on the clock the cache's age is measured by (defaults to `now`). */
  clockMs?: () => number;
}

/**
 * Creates the vault over a store namespace; a key stored or decrypted is registered as a secret of
 * its workspace (masked in logs, and in what that workspace is shown or may ask). Rows
 * are cached sealed (a key is decrypted for each use and never kept in plaintext by the cache).
 */
export function createKeyVault(opts: KeyVaultOptions): KeyVault {
  const { store, masterKey, secrets } = opts;
  const now = () => (opts.now ? opts.now() : new Date()).toISOString();
  const clockMs = opts.clockMs ?? (() => (opts.now ? opts.now().getTime() : Date.now()));
  const kid = keyId(masterKey);
  const toInfo = (vendor: Vendor, r: KeyRecord): KeyInfo => {
    const { sealed, last4, v: _v, ...rest } = r;
    const info: KeyInfo = { vendor, masked: `••••${last4}`, ...rest };
    if (sealed.kid === kid) return info;
    return {
      ...info,
      health: 'unreadable',
      healthReason: `sealed with another master key (fingerprint ${sealed.kid}); restore that key or add this key again`,
    };
  };
  const cache = createRowCache(clockMs, async (ws) => {
    const found = await store.getMany(VENDORS.map((v) => rowKey(ws, v)));
    return VENDORS.flatMap((v, i): [Vendor, KeyRecord][] => (found[i] ? [[v, found[i]]] : []));
  });
  const rows = cache.read;
  const write = async <T>(ws: string, change: () => Promise<T>): Promise<T> => {
    cache.forget(ws);
    try {
      return await change();
    } finally {
      cache.forget(ws);
    }
  };
  const vault: KeyVault = {
    async set(ws, vendor, key, meta = {}) {
      const record: KeyRecord = {
        v: 1,
        sealed: seal(masterKey, key, keyAad(ws, vendor)),
        last4: mask(key).slice(-4),
        addedAt: now(),
        ...(meta.addedBy ? { addedBy: meta.addedBy } : {}),
        ...(meta.verifiedAt ? { lastVerifiedAt: meta.verifiedAt } : {}),
        health: meta.verifiedAt ? 'ok' : 'unverified',
      };
      await write(ws, () => store.set(rowKey(ws, vendor), record));
      secrets.add(key, ws);
      return toInfo(vendor, record);
    },
    async get(ws, vendor) {
      const r = (await rows(ws)).find(([v]) => v === vendor)?.[1];
      if (!r) return undefined;
      const key = open(masterKey, r.sealed, keyAad(ws, vendor));
      secrets.add(key, ws);
      return key;
    },
    async list(ws) {
      return (await rows(ws)).map(([v, r]) => toInfo(v, r));
    },
    async unlockAll(ws) {
      return (await rows(ws))
        .filter(([, r]) => r.sealed.kid === kid)
        .map(([v, r]) => {
          const key = open(masterKey, r.sealed, keyAad(ws, v));
          secrets.add(key, ws);
          return { info: toInfo(v, r), key };
        });
    },
    async setHealth(ws, vendor, health, reason, verifiedAt) {
      const r = await store.get(rowKey(ws, vendor));
      if (!r) return;
      const next: KeyRecord = { ...r, health, lastVerifiedAt: verifiedAt ?? r.lastVerifiedAt };
      if (reason) next.healthReason = reason;
      else delete next.healthReason;
      await write(ws, () => store.set(rowKey(ws, vendor), next));
    },
    async remove(ws, vendor) {
      return write(ws, () => store.delete(rowKey(ws, vendor)));
    },
    async removeWorkspace(ws) {
      await write(ws, () => Promise.all(VENDORS.map((v) => store.delete(rowKey(ws, v)))));
    },
  };
  return vault;
}

/** Per-workspace reads kept for `KEY_CACHE_TTL_MS`; concurrent misses share one read. */
function createRowCache<T>(clockMs: () => number, load: (ws: string) => Promise<T>) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    read(ws: string): Promise<T> {
      const hit = entries.get(ws);
      const t = clockMs();
      if (hit && t - hit.at < KEY_CACHE_TTL_MS && t >= hit.at) return hit.value;
      const entry = { at: t, value: load(ws) };
      entries.set(ws, entry);
      // A failed read is not cached: the next call tries the store again.
      entry.value.catch(() => entries.get(ws) === entry && entries.delete(ws));
      return entry.value;
    },
    forget: (ws: string) => void entries.delete(ws),
  };
}
