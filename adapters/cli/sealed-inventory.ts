import fs from 'node:fs';
import path from 'node:path';
import type { Sealed } from '../../src/keys/crypto.ts';
import { keyId } from '../../src/keys/crypto.ts';
import type { Store } from '../../src/store/store.ts';

/** What the master key sealed in the store, named as an operator reads it, with each item's key fingerprint. */
export interface SealedInventory {
  /** Vendor keys as `<workspace> <vendor>`. */
  keys: { name: string; kid: string }[];
  /** Slack installations by their stored name. */
  installations: { name: string; kid: string }[];
}

/** Every sealed value of the store, read by the paged iterator (a reset is rare; the store is walked once). */
export async function readSealedInventory(store: Store): Promise<SealedInventory> {
  const list = async (ns: 'keys' | 'installations') => {
    const kv = store.ns<{ sealed?: Sealed }>(ns);
    const out: { name: string; kid: string }[] = [];
    if (!kv.iterator) return out;
    for await (const [name, value] of kv.iterator(undefined)) {
      if (value?.sealed?.kid) out.push({ name: ns === 'keys' ? String(name).replace('|', ' ') : String(name), kid: value.sealed.kid });
    }
    return out;
  };
  return { keys: await list('keys'), installations: await list('installations') };
}

/** The master key start-up would use (HIVE_MASTER_KEY, else the data folder's master.key) and where it is from; none when neither is there or readable. */
export function currentMasterKey(configured: Buffer | undefined, dataDir: string): { kid: string; source: string } | undefined {
  if (configured) return { kid: keyId(configured), source: 'HIVE_MASTER_KEY' };
  const file = path.join(dataDir, 'master.key');
  if (!fs.existsSync(file)) return undefined;
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  return key.length === 32 ? { kid: keyId(key), source: file } : undefined;
}
