import type Keyv from 'keyv';
import { keyId, open, seal, type Sealed } from './crypto.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import { mask } from '../shared/secrets.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDORS } from '../shared/provider-spec.ts';

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
  const { store } = opts;
  const clockMs = opts.clockMs ?? (() => (opts.now ? opts.now().getTime() : Date.now()));
  const cache = createRowCache(clockMs, async (ws) => {
    const found = await store.getMany(VENDORS.map((v) => rowKey(ws, v)));
    return VENDORS.flatMap((v, i): [Vendor, KeyRecord][] => (found[i] ? [[v, found[i]]] : []));
  });
  const s: VaultState = { ...opts, kid: keyId(opts.masterKey), cache };
  return {
    set: (ws, vendor, key, meta = {}) => setKey(s, ws, vendor, key, meta),
    get: (ws, vendor) => getKey(s, ws, vendor),
    list: async (ws) => (await cache.read(ws)).map(([v, r]) => toInfo(s.kid, v, r)),
    unlockAll: (ws) => unlockAll(s, ws),
    setHealth: (ws, vendor, health, reason, verifiedAt) => setHealth(s, ws, vendor, health, reason, verifiedAt),
    remove: (ws, vendor) => writeThrough(s, ws, () => store.delete(rowKey(ws, vendor))),
    async removeWorkspace(ws) {
      await writeThrough(s, ws, () => Promise.all(VENDORS.map((v) => store.delete(rowKey(ws, v)))));
    },
  };
}

/** What the vault's operations share: the store, the master key and its id, and the sealed-row cache. */
interface VaultState extends KeyVaultOptions {
  kid: string;
  cache: RowCache<[Vendor, KeyRecord][]>;
}

/** The shown form of a row; a row sealed under another master key is reported unreadable, not hidden. */
function toInfo(kid: string, vendor: Vendor, r: KeyRecord): KeyInfo {
  const { sealed, last4, v: _v, ...rest } = r;
  const info: KeyInfo = { vendor, masked: `••••${last4}`, ...rest };
  if (sealed.kid === kid) return info;
  return {
    ...info,
    health: 'unreadable',
    healthReason: `sealed with another master key (fingerprint ${sealed.kid}); restore that key or add this key again`,
  };
}

/** Runs a store change with the workspace's cached rows dropped before and after, so no read sees a stale row. */
async function writeThrough<T>(s: VaultState, ws: string, change: () => Promise<T>): Promise<T> {
  s.cache.forget(ws);
  try {
    return await change();
  } finally {
    s.cache.forget(ws);
  }
}

async function setKey(s: VaultState, ws: string, vendor: Vendor, key: string, meta: { addedBy?: string; verifiedAt?: string }): Promise<KeyInfo> {
  const record: KeyRecord = {
    v: 1,
    sealed: seal(s.masterKey, key, keyAad(ws, vendor)),
    last4: mask(key).slice(-4),
    addedAt: (s.now ? s.now() : new Date()).toISOString(),
    ...(meta.addedBy ? { addedBy: meta.addedBy } : {}),
    ...(meta.verifiedAt ? { lastVerifiedAt: meta.verifiedAt } : {}),
    health: meta.verifiedAt ? 'ok' : 'unverified',
  };
  await writeThrough(s, ws, () => s.store.set(rowKey(ws, vendor), record));
  s.secrets.add(key, ws);
  return toInfo(s.kid, vendor, record);
}

async function getKey(s: VaultState, ws: string, vendor: Vendor): Promise<string | undefined> {
  const r = (await s.cache.read(ws)).find(([v]) => v === vendor)?.[1];
  if (!r) return undefined;
  const key = open(s.masterKey, r.sealed, keyAad(ws, vendor));
  s.secrets.add(key, ws);
  return key;
}

async function unlockAll(s: VaultState, ws: string): Promise<{ info: KeyInfo; key: string }[]> {
  return (await s.cache.read(ws))
    .filter(([, r]) => r.sealed.kid === s.kid)
    .map(([v, r]) => {
      const key = open(s.masterKey, r.sealed, keyAad(ws, v));
      s.secrets.add(key, ws);
      return { info: toInfo(s.kid, v, r), key };
    });
}

async function setHealth(s: VaultState, ws: string, vendor: Vendor, health: KeyHealth, reason?: string, verifiedAt?: string): Promise<void> {
  const r = await s.store.get(rowKey(ws, vendor));
  if (!r) return;
  const next: KeyRecord = { ...r, health, lastVerifiedAt: verifiedAt ?? r.lastVerifiedAt };
  if (reason) next.healthReason = reason;
  else delete next.healthReason;
  await writeThrough(s, ws, () => s.store.set(rowKey(ws, vendor), next));
}

interface RowCache<T> {
  read(ws: string): Promise<T>;
  forget(ws: string): void;
}

/** Per-workspace reads kept for `KEY_CACHE_TTL_MS`; concurrent misses share one read. */
function createRowCache<T>(clockMs: () => number, load: (ws: string) => Promise<T>): RowCache<T> {
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
