import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../adapters/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Redis runs in CI (.ci/run starts one); locally the suite needs HIVE_TEST_REDIS_URL. */
const redisUrl = process.env.HIVE_TEST_REDIS_URL;
const backends: [string, () => string][] = [
  ['sqlite', () => `sqlite://${path.join(dir, `s-${Math.random()}.sqlite`)}`],
  ['memory', () => 'memory://'],
];
if (redisUrl) backends.push(['redis', () => redisUrl]);
else if (process.env.CI) throw new Error('CI must provide HIVE_TEST_REDIS_URL so the Redis backend is tested');

describe.each(backends)('store on %s', (_name, url) => {
  const open = async (): Promise<Store> => createStore(url());

  it('GIVEN namespaces THEN values are kept apart and expire with their TTL', async () => {
    const store = await open();
    const tag = `t${Math.random()}`;
    await store.ns<string>('settings').set(tag, 'a');
    await store.ns<string>('threads').set(tag, 'b', 30);
    expect(await store.ns<string>('settings').get(tag)).toBe('a');
    expect(await store.ns<string>('dedupe').get(tag)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.ns<string>('threads').get(tag)).toBeUndefined();
    await store.close();
  });

  it('GIVEN concurrent claims THEN exactly one wins', async () => {
    const store = await open();
    const tag = `t${Math.random()}`;
    const wins = await Promise.all(Array.from({ length: 10 }, () => store.atomic.claim(`ev-${tag}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await store.close();
  });
});
