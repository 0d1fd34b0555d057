import fs from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { HiveError } from '../../src/errors.ts';
import { createMemoryAtomic, type AtomicOps } from '../../src/store/atomic.ts';
import { NAMESPACES, type Namespace, type Store } from '../../src/store/store.ts';

/** How long start-up waits for a store server before it gives up with the reason. */
export const CONNECT_DEADLINE_MS = 5000;

/** Opens the store named by `url`: `sqlite://<file>`, `redis://…` or `memory://`. */
export async function createStore(url: string, opts: { connectDeadlineMs?: number } = {}): Promise<Store> {
  const kind = storeKind(url);
  const legacyCounters = (await import('./legacy-counters.ts')).openLegacyCounters(kind, url, opts.connectDeadlineMs ?? CONNECT_DEADLINE_MS);
  const backend = await openBackend(kind, url, opts.connectDeadlineMs ?? CONNECT_DEADLINE_MS);
  const cache = new Map<Namespace, Keyv>();
  const tuning: Promise<unknown>[] = [];
  const ns = <T>(name: Namespace): Keyv<T> => {
    let k = cache.get(name);
    if (!k) {
      const adapter = backend.make(name);
      if (adapter instanceof KeyvSqlite) tuning.push(tuneSqlite(adapter));
      k = new Keyv({ store: adapter, namespace: name });
      k.on('error', () => undefined); // surfaced by the failing call itself
      cache.set(name, k);
    }
    return k as Keyv<T>;
  };
  for (const name of NAMESPACES) ns(name);
  await Promise.all(tuning);
  const { atomic } = backend;
  return {
    kind,
    ns,
    atomic,
    ...(legacyCounters ? { legacyCounters } : {}),
    async sweep(names) {
      for (const name of names) {
        const keyv = ns(name);
        if (!keyv.iterator) continue;
        // Keyv deletes expired entries as its iterator meets them.
        for await (const entry of keyv.iterator(undefined)) void entry;
      }
      await atomic.sweep();
    },
    async close() {
      await Promise.allSettled(tuning); // namespaces opened late (the legacy import's) may still be tuning
      if (backend.close) await backend.close();
      else await Promise.all([...cache.values()].map((k) => k.disconnect().catch(() => undefined)));
      cache.clear();
      await atomic.close();
    },
  };
}

/**
 * Write-ahead logging with `synchronous=NORMAL`: a commit no longer waits for an fsync (only
 * checkpoints do), which is durable against process crashes and an order of magnitude faster.
 */
async function tuneSqlite(adapter: KeyvSqlite): Promise<void> {
  await adapter.query('PRAGMA journal_mode=WAL');
  await adapter.query('PRAGMA synchronous=NORMAL');
}

function storeKind(url: string): Store['kind'] {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('redis:') || url.startsWith('rediss:')) return 'redis';
  if (url.startsWith('memory:')) return 'memory';
  throw new HiveError('store_unsupported', `HIVE_STORE_URL: unsupported store "${url.split(':')[0]}:"; use sqlite://, redis:// or memory://`);
}

type AdapterFactory = (name: Namespace) => Keyv['store'];

interface Backend {
  make: AdapterFactory;
  atomic: AtomicOps;
  /** Closes a connection the namespaces share (Redis); absent when each namespace closes its own. */
  close?: () => Promise<void>;
}

async function openBackend(kind: Store['kind'], url: string, deadlineMs: number): Promise<Backend> {
  if (kind === 'memory') return { make: () => new Map(), atomic: createMemoryAtomic() };
  if (kind === 'sqlite') {
    const file = url.replace(/^sqlite:\/\//, '');
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const { createSqliteAtomic } = await import('./sqlite/atomic-sqlite.ts');
    return { make: () => new KeyvSqlite({ uri: `sqlite://${file}`, table: 'hive', busyTimeout: 5000 }), atomic: await createSqliteAtomic(file) };
  }
  const { connectRedis } = await import('./redis/redis-connect.ts');
  const client = await connectRedis(url, deadlineMs);
  const { default: KeyvRedis } = await import('@keyv/redis');
  const { createRedisAtomic } = await import('./redis/atomic-redis.ts');
  return {
    make: () => new KeyvRedis(client, { throwOnConnectError: true }),
    atomic: createRedisAtomic(client),
    close: async () => void (await client.quit().catch(() => undefined)),
  };
}
