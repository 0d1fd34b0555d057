import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from './log.ts';
import { HiveError } from './errors.ts';

/** Returns the configured master key, or reads/creates `<dataDir>/master.key` (mode 0600). */
export function loadMasterKey(configured: Buffer | undefined, dataDir: string, log: Logger): Buffer {
  if (configured) return configured;
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) return readKeyFile(file, log);
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
