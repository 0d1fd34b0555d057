import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { HiveError } from '../shared/errors.ts';

/** An AES-256-GCM sealed value, as stored. */
export interface Sealed {
  alg: 'aes-256-gcm';
  /** Fingerprint of the master key that sealed it, so a wrong key fails with a clear reason. */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

/** Encrypts with a fresh 96-bit nonce; `aad` binds the ciphertext to where it is stored. */
export function seal(masterKey: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { alg: 'aes-256-gcm', kid: keyId(masterKey), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/** Decrypts and authenticates; fails if the value was tampered with or moved to another row. */
export function open(masterKey: Buffer, sealed: Sealed, aad: string): string {
  if (sealed.kid !== keyId(masterKey)) {
    throw new HiveError('vault_wrong_master_key', 'This key was encrypted with a different master key (HIVE_MASTER_KEY or data/master.key changed).');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new HiveError('vault_decrypt_failed', 'A stored key failed authentication: it was altered or does not belong to this workspace and vendor.', {
      cause,
    });
  }
}

const kids = new WeakMap<Buffer, string>();

/** A short public fingerprint of a master key (never the key itself); computed once per key buffer. */
export function keyId(masterKey: Buffer): string {
  let kid = kids.get(masterKey);
  if (kid === undefined) {
    kid = createHash('sha256').update('hive-kid').update(masterKey).digest('hex').slice(0, 12);
    kids.set(masterKey, kid);
  }
  return kid;
}

/** Seals and opens values with the master key, without handing the key itself around. */
export interface Sealer {
  seal(plaintext: string, aad: string): Sealed;
  open(sealed: Sealed, aad: string): string;
}

export function createSealer(masterKey: Buffer): Sealer {
  return { seal: (p, aad) => seal(masterKey, p, aad), open: (s, aad) => open(masterKey, s, aad) };
}
