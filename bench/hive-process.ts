import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/app/config.ts';
import { createHive } from '../src/app/hive.ts';
import { compiledMain, spawnNode, type LineProcess } from './processes.ts';

/** A data directory for the compiled Hive, and the environment that runs it against one fake. */
export interface HiveDir {
  dir: string;
  env: Record<string, string>;
  remove(): void;
}

/**
 * Makes a data directory (optionally holding a copy of a log database) whose `local` workspace has
 * lifted OpenAI pace limits: the benches measure the engine, not Hive's own pacing.
 */
export async function prepareHiveDir(fakeUrl: string, o: { logsFile?: string; concurrency?: number } = {}): Promise<HiveDir> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-proc-'));
  if (o.logsFile) fs.copyFileSync(o.logsFile, path.join(dir, 'logs.sqlite'));
  const env = {
    HIVE_DATA_DIR: dir,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: 'sk-bench-proc-0123456789abcdefghij',
    OPENAI_BASE_URL: fakeUrl,
  };
  const hive = await createHive(loadConfig(env), { logSink: { write: () => undefined } });
  const concurrency = o.concurrency ?? 2000;
  await hive.ctx.settings.update('local', (s) => void (s.vendorLimits = { openai: { rpm: 1e9, tpm: 1e12, concurrency } }));
  await hive.close();
  return { dir, env, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The compiled `npm start` process (node dist/src/app/main.js: the terminal adapter on pipes, stdin kept open). */
export function spawnHive(d: HiveDir, main = compiledMain()): LineProcess {
  return spawnNode([main], d.env, d.dir);
}

/** An answer's last line in the terminal adapter's output: its footer. */
export const isFooter = (line: string) => line.startsWith('— ');

/** Waits until `n` footers have been printed since line `from`; returns the time the last arrived. */
export async function answers(p: LineProcess, n: number, timeoutMs: number, from = 0): Promise<number> {
  let seen = 0;
  const hit = await p.waitForLine((t) => isFooter(t) && ++seen >= n, timeoutMs, from);
  return hit.at;
}
