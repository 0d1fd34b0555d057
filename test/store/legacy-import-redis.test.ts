import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from '@keyv/redis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importLegacyData } from '../../src/app/legacy-import.ts';
import { LEGACY_NAMESPACES, type LegacyNamespace } from '../../src/store/store.ts';
import { createStore } from '../../adapters/store/open-store.ts';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { books, expectedDays, loadLegacyFixture, readLegacy } from './legacy-fixture.ts';

/** Redis runs in CI (.ci/run starts one); locally the suite needs HIVE_TEST_REDIS_URL. */
const redisUrl = process.env.HIVE_TEST_REDIS_URL;
if (!redisUrl && process.env.CI) throw new Error('CI must provide HIVE_TEST_REDIS_URL so the Redis backend is tested');

/** A database of its own, so no other test's keys are imported or deleted. */
function isolated(url: string): string {
  const u = new URL(url);
  u.pathname = '/13';
  return u.toString();
}

const NOW = Date.parse('2026-11-30T18:00:00Z');
const dirs: string[] = [];
beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: NOW }));
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes what the old release kept in SQLite into Redis the way it kept it there: Keyv entries and INCRBY counters. */
async function seedRedis(url: string, fixtureDir: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  await client.flushDb();
  const raw = new Database(path.join(fixtureDir, 'hive.sqlite'), { readonly: true });
  const rows = raw.prepare('SELECT key, value FROM hive').all() as { key: string; value: string }[];
  const counters = raw.prepare('SELECT key, n FROM hive_counters').all() as { key: string; n: number }[];
  raw.close();
  for (const { key, n } of counters) await client.set(`hive:atomic:n:${key}`, String(n));
  await client.quit();
  const store = await createStore(url);
  for (const { key, value } of rows) {
    const cut = key.indexOf(':');
    const { value: v, expires } = JSON.parse(value) as { value: unknown; expires?: number };
    const ttl = expires ? expires - Date.now() : undefined;
    if (ttl !== undefined && ttl <= 0) continue;
    await store.ns(key.slice(0, cut) as LegacyNamespace).set(key.slice(cut + 1), v, ttl);
  }
  await store.close();
}

describe.skipIf(!redisUrl)('the legacy import on a Redis store', () => {
  it('GIVEN the old data in Redis WHEN imported THEN the books equal the day documents, old counters are read and every old key is deleted', async () => {
    const url = isolated(redisUrl!);
    const fixture = loadLegacyFixture();
    const logsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-legacy-redis-'));
    dirs.push(fixture, logsDir);
    await seedRedis(url, fixture);
    const store = await createStore(url);
    const db = await openLogDb(`sqlite://${path.join(logsDir, 'logs.sqlite')}`);
    const quiet = { info: () => undefined, warn: () => undefined };
    const result = await importLegacyData({ store, db, log: quiet, retentionDays: 30 });
    expect(result).toMatchObject({ evidenceRecords: 14, evidenceImported: 14, dayDocuments: 10, adjustedDays: 3, oldCounters: 21 });
    expect(await importLegacyData({ store, db, log: quiet, retentionDays: 30 })).toBeUndefined();
    for (const name of LEGACY_NAMESPACES) {
      const left: unknown[] = [];
      for await (const e of store.ns(name).iterator!(undefined)) left.push(e);
      expect([name, left.length]).toEqual([name, 0]);
    }
    expect(await store.ns('settings').get('slack:T0LEGACYA')).toEqual({ budgets: { workspaceUsd: 40 } });
    expect(await store.ns<{ last4: string }>('keys').get('slack:T0LEGACYB|openai')).toMatchObject({ last4: 'efgh' });
    await store.close();
    await db.destroy();
    expect(books(logsDir).days).toEqual(expectedDays(readLegacy(fixture)));
    const client = createClient({ url });
    await client.connect();
    expect(await client.keys('hive:atomic:n:*')).toEqual([]);
    await client.flushDb();
    await client.quit();
  });
});
