import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import type { Logger } from '../shared/log.ts';
import { HiveError } from '../shared/errors.ts';
import { keyId } from './crypto.ts';

/** The fingerprint of the master key the stored secrets are sealed with, kept beside them. */
export interface MasterKeyMarker {
  kid: string;
  since: string;
}

export const MARKER_KEY = 'master-key';

/** How to recover, in every master-key error. */
const RECOVER =
  'Restore the original key (set HIVE_MASTER_KEY to it, or put the master.key file back), or, to start over without the stored secrets, run `npm run hive -- master-key reset --yes`: it deletes every stored vendor key and Slack installation, and admins then add keys again with `/hive keys`.';

export interface MasterKeyInput {
  configured: Buffer | undefined;
  dataDir: string;
  log: Logger;
  /** The store namespace holding the marker. */
  meta: Keyv<MasterKeyMarker>;
  /** Fingerprints found on sealed values, for data written before the marker existed. */
  sealedKids: () => Promise<Set<string>>;
}

/**
 * Returns the master key after checking its fingerprint against the sealed data: a changed key,
 * or a missing one while sealed data exists, stops start-up with how to recover, never a fresh key.
 */
export async function resolveMasterKey(o: MasterKeyInput): Promise<Buffer> {
  const marker = await o.meta.get(MARKER_KEY);
  // Data sealed before the marker existed (or before this start) tells its key by its values.
  const expected = marker?.kid ?? [...(await o.sealedKids())][0];
  const file = path.join(o.dataDir, 'master.key');
  const key = o.configured ?? (fs.existsSync(file) ? readKeyFile(file, o.log) : undefined);
  const source = o.configured ? 'HIVE_MASTER_KEY' : file;
  if (!key && expected) {
    throw new HiveError(
      'master_key_missing',
      `HIVE_MASTER_KEY is not set and ${file} does not exist, but the store holds secrets sealed with master key ${expected}. ${RECOVER}`,
    );
  }
  const k = key ?? generateKeyFile(file, o.dataDir, o.log);
  const kid = keyId(k);
  if (expected && kid !== expected) {
    throw new HiveError(
      'master_key_mismatch',
      `The master key from ${source} (fingerprint ${kid}) is not the one the stored secrets were sealed with (fingerprint ${expected}). ${RECOVER}`,
    );
  }
  // Recorded once something is sealed; until then a new key may replace a lost one freely.
  if (!marker && expected) await o.meta.set(MARKER_KEY, { kid, since: new Date().toISOString() });
  return k;
}

function generateKeyFile(file: string, dataDir: string, log: Logger): Buffer {
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn({ file }, 'HIVE_MASTER_KEY is not set: generated a master key file. Back it up and keep it apart from the data, or set HIVE_MASTER_KEY.');
  return key;
}

function readKeyFile(file: string, log: Logger): Buffer {
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
    log.warn({ file }, 'master.key was readable by others; tightened to 0600');
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new HiveError('master_key_invalid', `${file} does not hold a base64 32-byte key`);
  log.debug({ file }, 'using master key file; set HIVE_MASTER_KEY to keep the key outside the data folder');
  return key;
}

/**
 * Recovery from a lost master key: deletes every sealed secret (vendor keys, Slack installations)
 * and the fingerprint, so the next start adopts the current key. Admins then add keys again.
 */
export async function forgetSealedSecrets(store: { ns<T>(name: 'keys' | 'installations' | 'meta'): Keyv<T> }): Promise<void> {
  await store.ns('keys').clear();
  await store.ns('installations').clear();
  await store.ns('meta').delete(MARKER_KEY);
}
