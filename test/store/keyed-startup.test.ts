import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createHive } from '../../src/app/hive.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data folder whose keyed store holds `expired` thread records past their TTL and one live one. */
function dataFolder(expired: number): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-startup-'));
  dirs.push(dataDir);
  const db = new Database(path.join(dataDir, 'hive.sqlite'));
  db.exec('CREATE TABLE hive(key VARCHAR(255) PRIMARY KEY, value TEXT )');
  const put = db.prepare('INSERT INTO hive(key, value) VALUES(?, ?)');
  db.transaction(() => {
    for (let i = 0; i < expired; i++) put.run(`threads:t${i}`, `{"value":{"turns":[]},"expires":${Date.now() - 1000}}`);
    put.run('threads:live', `{"value":{"turns":[]},"expires":${Date.now() + 3_600_000}}`);
  })();
  db.close();
  return dataDir;
}

const rows = (dataDir: string): number => {
  const db = new Database(path.join(dataDir, 'hive.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM hive WHERE key GLOB ?').get('threads:*') as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('start-up and the retention sweep', () => {
  it('GIVEN expired entries THEN start-up leaves them alone and the first sweep, a minute later, removes them', async () => {
    const dataDir = dataFolder(1200);
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    const config = loadConfig({ HIVE_DATA_DIR: dataDir, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' });
    const hive = await createHive(config, { logSink: { write: () => undefined } });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(rows(dataDir)).toBe(1201);
    await vi.advanceTimersByTimeAsync(60_000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(rows(dataDir)).toBe(1), { timeout: 10_000, interval: 20 });
    await hive.close();
  });
});
