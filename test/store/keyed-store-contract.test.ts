import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../adapters/store/open-store.ts';
import type { Namespace, Store } from '../../src/store/store.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-keyed-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Redis runs in CI (.ci/run starts one); locally the suite needs HIVE_TEST_REDIS_URL. */
const redisUrl = process.env.HIVE_TEST_REDIS_URL;
if (!redisUrl && process.env.CI) throw new Error('CI must provide HIVE_TEST_REDIS_URL so the Redis backend is tested');

/** A database of its own, so clearing or counting a namespace never meets another test file's keys. */
function redisDb(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

interface Backend {
  name: 'sqlite' | 'redis' | 'memory';
  /** A URL for a fresh store (SQLite: a new file; Redis: this file's own database). */
  fresh: () => string;
  /** Whether the entry is still physically held by the backend (not merely hidden as expired). */
  held: (store: Store, url: string, ns: Namespace, key: string) => Promise<boolean>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    fresh: () => `sqlite://${path.join(dir, `s-${Math.random()}.sqlite`)}`,
    held: async (_store, url, ns, key) => {
      const db = new Database(url.slice('sqlite://'.length), { readonly: true });
      try {
        return db.prepare('SELECT 1 FROM hive WHERE key = ?').get(`${ns}:${key}`) !== undefined;
      } finally {
        db.close();
      }
    },
  },
  {
    name: 'memory',
    fresh: () => 'memory://',
    held: async (store, _url, ns, key) => (store.ns(ns).store as Map<string, unknown>).has(`${ns}:${key}`),
  },
];
if (redisUrl) {
  backends.push({
    name: 'redis',
    fresh: () => redisDb(redisUrl, 5),
    held: async (store, _url, ns, key) => Boolean(await store.ns(ns).store.has(`${ns}:${key}`)),
  });
}

const tagged = () => `t${Math.random().toString(36).slice(2)}`;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends)('keyed store on $name', (b) => {
  const persistent = b.name !== 'memory';
  const open = async (url = b.fresh()): Promise<Store> => createStore(url);

  it('GIVEN set, get and delete THEN values round-trip with their types and a delete removes them', async () => {
    const store = await open();
    const ns = store.ns<{ n: number; s: string; list: string[] }>('settings');
    const tag = tagged();
    await ns.set(tag, { n: 1.5, s: ':colon first', list: ['a', 'b'] });
    expect(await ns.get(tag)).toEqual({ n: 1.5, s: ':colon first', list: ['a', 'b'] });
    expect(await ns.has(tag)).toBe(true);
    expect(await ns.delete(tag)).toBe(true);
    expect(await ns.get(tag)).toBeUndefined();
    expect(await ns.has(tag)).toBe(false);
    await store.close();
  });

  it('GIVEN a TTL THEN the entry is readable until it expires and gone after', async () => {
    const store = await open();
    const ns = store.ns<string>('threads');
    const tag = tagged();
    await ns.set(`${tag}-short`, 'short', 40);
    await ns.set(`${tag}-long`, 'long', 60_000);
    expect(await ns.get(`${tag}-short`)).toBe('short');
    await wait(120);
    expect(await ns.get(`${tag}-short`)).toBeUndefined();
    expect(await ns.has(`${tag}-short`)).toBe(false);
    expect(await ns.get(`${tag}-long`)).toBe('long');
    expect(await ns.get([`${tag}-short`, `${tag}-long`])).toEqual([undefined, 'long']);
    await store.close();
  });

  it('GIVEN the same key in two namespaces THEN each keeps its own value and a third has none', async () => {
    const store = await open();
    const tag = tagged();
    await store.ns<string>('settings').set(tag, 'a');
    await store.ns<string>('threads').set(tag, 'b');
    expect(await store.ns<string>('settings').get(tag)).toBe('a');
    expect(await store.ns<string>('threads').get(tag)).toBe('b');
    expect(await store.ns<string>('dedupe').get(tag)).toBeUndefined();
    await store.close();
  });

  it('GIVEN clear on one namespace THEN only that namespace is emptied', async () => {
    const store = await open();
    const tag = tagged();
    // LIKE wildcards in a key are plain characters to every backend.
    await store.ns<string>('keys').set(tag, 'kept');
    await store.ns<string>('installations').set(tag, 'gone');
    await store.ns<string>('installations').set(`${tag}_%`, 'gone too');
    await store.ns<string>('installations').clear();
    expect(await store.ns<string>('installations').get(tag)).toBeUndefined();
    expect(await store.ns<string>('installations').get(`${tag}_%`)).toBeUndefined();
    expect(await store.ns<string>('keys').get(tag)).toBe('kept');
    await store.close();
  });

  it('GIVEN 25,000 entries THEN the iterator yields each live one once, without overflowing the stack', async () => {
    const store = await open();
    const ns = store.ns<number>('digest');
    await ns.clear();
    const n = 25_000;
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, j) => ns.set(`e${String(i + j).padStart(5, '0')}`, i + j)));
    }
    await ns.set('expired', -1, 1);
    await store.ns<number>('dedupe').set('e00000', -2); // another namespace: never yielded
    await wait(20);
    const seen = new Set<string>();
    let sum = 0;
    for await (const [key, value] of ns.iterator!(undefined)) {
      seen.add(key as string);
      sum += value as number;
    }
    expect(seen.size).toBe(n);
    expect(seen.has('expired')).toBe(false);
    expect(sum).toBe((n * (n - 1)) / 2);
    await ns.clear();
    await store.close();
  }, 60_000);

  it('GIVEN expired and live entries THEN a sweep leaves the live ones and nothing expired is held afterwards', async () => {
    const url = b.fresh();
    const store = await open(url);
    const ns = store.ns<number>('threads');
    const tag = tagged();
    await Promise.all(Array.from({ length: 1200 }, (_, i) => ns.set(`${tag}-x${i}`, i, 30)));
    await Promise.all(Array.from({ length: 10 }, (_, i) => ns.set(`${tag}-live${i}`, i, 60_000)));
    await store.ns<string>('settings').set(tag, 'no ttl');
    await wait(100);
    const removed = await store.sweep();
    if (b.name === 'redis')
      expect(removed).toBe(0); // Redis expires keys itself
    else expect(removed).toBeGreaterThanOrEqual(1200);
    for (const i of [0, 499, 500, 1199]) expect(await b.held(store, url, 'threads', `${tag}-x${i}`)).toBe(false);
    for (let i = 0; i < 10; i++) expect(await ns.get(`${tag}-live${i}`)).toBe(i);
    expect(await b.held(store, url, 'threads', `${tag}-live0`)).toBe(true);
    expect(await store.ns<string>('settings').get(tag)).toBe('no ttl');
    await store.close();
  });

  it('GIVEN concurrent claims THEN exactly one wins, and the key can be claimed again once the claim expires', async () => {
    const store = await open();
    const tag = tagged();
    const wins = await Promise.all(Array.from({ length: 20 }, () => store.atomic.claim(`ev-${tag}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.atomic.claim(`short-${tag}`, 30)).toBe(true);
    expect(await store.atomic.claim(`short-${tag}`, 30)).toBe(false);
    await wait(80);
    await store.atomic.sweep();
    expect(await store.atomic.claim(`short-${tag}`, 30)).toBe(true);
    await store.close();
  });

  it.runIf(persistent)('GIVEN two stores on the same backend THEN concurrent claims still have exactly one winner', async () => {
    const url = b.fresh();
    const [one, two] = await Promise.all([open(url), open(url)]);
    const tag = tagged();
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).atomic.claim(`ev-${tag}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await Promise.all([one.close(), two.close()]);
  });

  it.runIf(persistent)('GIVEN values written and the store closed THEN reopening keeps them', async () => {
    const url = b.fresh();
    const tag = tagged();
    const first = await open(url);
    await first.ns<{ kid: string }>('meta').set(tag, { kid: 'k1' });
    await first.ns<string>('threads').set(tag, 'kept', 60_000);
    await first.close();
    const again = await open(url);
    expect(await again.ns<{ kid: string }>('meta').get(tag)).toEqual({ kid: 'k1' });
    expect(await again.ns<string>('threads').get(tag)).toBe('kept');
    await again.close();
  });
});
