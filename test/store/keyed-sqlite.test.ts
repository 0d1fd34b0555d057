import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../adapters/store/open-store.ts';
import { openKeyedSqlite, sweepExpired, SWEEP_BATCH, TABLE } from '../../adapters/store/sqlite/keyed-sqlite.ts';
import { ITERATOR_PAGE, KeyvBetterSqlite } from '../../adapters/store/sqlite/keyv-better-sqlite.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-keyed-sqlite-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = () => path.join(dir, `k-${Math.random()}.sqlite`);

const HOUR = 3_600_000;
const now = Date.now();

/**
 * A data folder as @keyv/sqlite 4.0.8 under Keyv 5.6 wrote it: its exact table (`CREATE TABLE IF
 * NOT EXISTS hive(key VARCHAR(255) PRIMARY KEY, value TEXT )`), keys `namespace:key`, values
 * `{"value":…,"expires":…}` as @keyv/serialize writes them (no `expires` without a TTL, a leading
 * `:` doubled, Buffers as `:base64:`).
 */
function writeOldFormat(target: string): void {
  const db = new Database(target);
  db.exec('CREATE TABLE IF NOT EXISTS hive(key VARCHAR(255) PRIMARY KEY, value TEXT )');
  const put = db.prepare('INSERT INTO hive (key, value)\n\t\t\tVALUES(?, ?) \n\t\t\tON CONFLICT(key) \n\t\t\tDO UPDATE SET value=excluded.value;');
  put.run('meta:master-key', '{"value":{"kid":"k-7f3a","since":"2026-10-01T08:00:00.000Z"}}');
  put.run('keys:slack:T1:openai', '{"value":{"sealed":{"kid":"k-7f3a","iv":"aXY=","ct":"Y3Q=","tag":"dGFn"},"last4":"x9Qz"}}');
  put.run('installations:slack:T1', '{"value":{"team":"T1","sealed":{"kid":"k-7f3a","ct":"c2VjcmV0"}}}');
  put.run('settings:slack:T1', '{"value":{"defaultLane":"cheap","budgets":{"workspace":25.5},"note":"::starts with a colon"}}');
  put.run('threads:live', `{"value":{"turns":[{"role":"user","text":"hi"}]},"expires":${now + HOUR}}`);
  put.run('threads:gone', `{"value":{"turns":[]},"expires":${now - HOUR}}`);
  put.run('dedupe:ev1', `{"value":1,"expires":${now - 1}}`);
  put.run('outbox:blob', '{"value":":base64:aGl2ZQ=="}');
  db.close();
}

describe('SQLite keyed store over a data folder written by @keyv/sqlite', () => {
  it('GIVEN the old table THEN every value reads back and expired entries are not returned', async () => {
    const f = file();
    writeOldFormat(f);
    const store = await createStore(`sqlite://${f}`);
    expect(await store.ns('meta').get('master-key')).toEqual({ kid: 'k-7f3a', since: '2026-10-01T08:00:00.000Z' });
    expect(await store.ns('keys').get('slack:T1:openai')).toEqual({ sealed: { kid: 'k-7f3a', iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' }, last4: 'x9Qz' });
    expect(await store.ns('installations').get('slack:T1')).toEqual({ team: 'T1', sealed: { kid: 'k-7f3a', ct: 'c2VjcmV0' } });
    expect(await store.ns('settings').get('slack:T1')).toEqual({ defaultLane: 'cheap', budgets: { workspace: 25.5 }, note: ':starts with a colon' });
    expect(await store.ns('threads').get('live')).toEqual({ turns: [{ role: 'user', text: 'hi' }] });
    expect(await store.ns('threads').get('gone')).toBeUndefined();
    expect(await store.ns('dedupe').get('ev1')).toBeUndefined();
    expect(await store.ns('outbox').get('blob')).toEqual(Buffer.from('hive'));
    const keys: string[] = [];
    for await (const [k] of store.ns('threads').iterator!(undefined)) keys.push(k as string);
    expect(keys).toEqual(['live']);
    await store.close();
  });

  it('GIVEN the old table THEN it gains an indexed expires column filled from each value, and a sweep removes exactly the expired rows', async () => {
    const f = file();
    writeOldFormat(f);
    const store = await createStore(`sqlite://${f}`);
    const raw = new Database(f);
    const expires = Object.fromEntries(
      raw
        .prepare<[], { key: string; expires: number | null }>('SELECT key, expires FROM hive')
        .all()
        .map((r) => [r.key, r.expires]),
    );
    expect(expires).toMatchObject({
      'threads:live': now + HOUR,
      'threads:gone': now - HOUR,
      'dedupe:ev1': now - 1,
      'settings:slack:T1': null,
      'keys:slack:T1:openai': null,
    });
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hive'").all()).toContainEqual({ name: 'hive_expires' });
    expect(await store.sweep()).toBe(2);
    expect(
      raw
        .prepare<[], { key: string }>('SELECT key FROM hive ORDER BY key')
        .all()
        .map((r) => r.key),
    ).toEqual(['installations:slack:T1', 'keys:slack:T1:openai', 'meta:master-key', 'outbox:blob', 'settings:slack:T1', 'threads:live']);
    raw.close();
    await store.close();
    const again = await createStore(`sqlite://${f}`); // migrating twice is harmless
    expect(await again.ns('settings').get('slack:T1')).toMatchObject({ defaultLane: 'cheap' });
    await again.close();
  });
});

/** An adapter on a connection that records every statement it runs. */
function traced(): { keyv: Keyv<number>; db: Database.Database; sql: string[] } {
  const sql: string[] = [];
  const f = file();
  openKeyedSqlite(f).close();
  const db = new Database(f, { verbose: (s) => void sql.push(String(s)) });
  const keyv = new Keyv<number>({ store: new KeyvBetterSqlite(db), namespace: 'threads' });
  return { keyv, db, sql };
}

describe('KeyvBetterSqlite', () => {
  it('GIVEN a namespace of 1,000 entries THEN the iterator reads it by keyset pages of bounded size, lazily', async () => {
    const { keyv, db, sql } = traced();
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) db.prepare('INSERT INTO hive(key, value) VALUES(?, ?)').run(`threads:${String(i).padStart(4, '0')}`, `{"value":${i}}`);
    })();
    sql.length = 0;
    const it = keyv.iterator!(undefined);
    expect((await it.next()).value).toEqual(['0000', 0]);
    expect(sql.filter((s) => s.includes('ORDER BY key LIMIT'))).toHaveLength(1);
    let n = 1;
    for await (const entry of it) n += entry ? 1 : 0;
    expect(n).toBe(1000);
    const pages = sql.filter((s) => s.includes('ORDER BY key LIMIT'));
    expect(pages).toHaveLength(Math.floor(1000 / ITERATOR_PAGE) + 1);
    expect(pages.slice(1).every((s) => /WHERE key > 'threads:\d{4}'/.test(s))).toBe(true); // keyset: after the last key seen
    expect(sql.some((s) => /OFFSET/i.test(s))).toBe(false);
    db.close();
  });

  it('GIVEN its queries THEN each is answered through an index, never by scanning the table', () => {
    const db = openKeyedSqlite(file());
    const plan = (q: string) =>
      db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${q}`)
        .all()
        .map((r) => r.detail)
        .join('; ');
    expect(plan(`SELECT key, value FROM ${TABLE} WHERE key > 'a' AND key < 'b' AND (expires IS NULL OR expires > 1) ORDER BY key LIMIT 200`)).toMatch(
      /USING INDEX sqlite_autoindex_hive_1/,
    );
    expect(plan(`SELECT value FROM ${TABLE} WHERE key = 'a' AND (expires IS NULL OR expires > 1)`)).toMatch(/USING INDEX sqlite_autoindex_hive_1/);
    expect(plan(`DELETE FROM ${TABLE} WHERE rowid IN (SELECT rowid FROM ${TABLE} INDEXED BY hive_expires WHERE expires <= 1 LIMIT 500)`)).toMatch(
      /USING COVERING INDEX hive_expires/,
    );
    expect(plan(`DELETE FROM ${TABLE} WHERE key >= 'a:' AND key < 'a;'`)).toMatch(/USING INDEX sqlite_autoindex_hive_1/);
    db.close();
  });

  it('GIVEN 1,250 expired entries THEN a sweep deletes them in batches and lets other work run between batches', async () => {
    const { keyv, db, sql } = traced();
    await Promise.all(Array.from({ length: 1250 }, (_, i) => keyv.set(`x${i}`, i, 60_000)));
    await keyv.set('live', 1);
    sql.length = 0;
    const order: string[] = [];
    const later = () => Date.now() + 120_000; // every TTL has passed, without waiting for it
    const sweeping = sweepExpired(db, TABLE, later).then((n) => void order.push(`swept ${n}`));
    const reading = keyv.get('live').then((v) => void order.push(`read ${v}`));
    await Promise.all([sweeping, reading]);
    expect(order).toEqual(['read 1', 'swept 1250']);
    expect(sql.filter((s) => s.startsWith('DELETE'))).toHaveLength(Math.ceil(1250 / SWEEP_BATCH));
    expect(db.prepare('SELECT count(*) AS n FROM hive').get()).toEqual({ n: 1 });
    db.close();
  });
});
