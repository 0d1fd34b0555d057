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

/** A data folder whose keyed store (in @keyv/sqlite's table) holds the given rows. */
function dataFolder(fill: (put: (key: string, value: string) => void) => void): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-startup-'));
  dirs.push(dataDir);
  const db = new Database(path.join(dataDir, 'hive.sqlite'));
  db.exec('CREATE TABLE hive(key VARCHAR(255) PRIMARY KEY, value TEXT )');
  const put = db.prepare('INSERT INTO hive(key, value) VALUES(?, ?)');
  db.transaction(() => fill((k, v) => void put.run(k, v)))();
  db.close();
  return dataDir;
}

/** `expired` thread records past their TTL and one live one. */
const withExpired = (expired: number) =>
  dataFolder((put) => {
    for (let i = 0; i < expired; i++) put(`threads:t${i}`, `{"value":{"turns":[]},"expires":${Date.now() - 1000}}`);
    put('threads:live', `{"value":{"turns":[]},"expires":${Date.now() + 3_600_000}}`);
  });

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
    const dataDir = withExpired(1200);
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

  it('GIVEN 50,000 installations and no master-key marker THEN start-up walks them without overflowing and finds the sealed one', async () => {
    const dataDir = dataFolder((put) => {
      for (let i = 0; i < 50_000; i++) put(`installations:slack:T${String(i).padStart(5, '0')}`, `{"value":{"team":"T${i}"}}`);
      put('installations:slack:Tzzzz', '{"value":{"team":"Tzzzz","sealed":{"kid":"k-elsewhere","ct":"eA=="}}}');
    });
    const config = loadConfig({ HIVE_DATA_DIR: dataDir, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' });
    const err = await createHive(config, { logSink: { write: () => undefined } }).then(
      async (h) => void (await h.close()),
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe('master_key_mismatch');
    expect(err?.message).toContain('k-elsewhere');
  }, 60_000);
});
