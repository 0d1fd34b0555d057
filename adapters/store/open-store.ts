import Keyv from 'keyv';
import { HiveError } from '../../src/shared/errors.ts';
import { createMemoryAtomic, type AtomicOps } from '../../src/store/atomic.ts';
import { NAMESPACES, type LegacyNamespace, type Namespace, type Store } from '../../src/store/store.ts';

/** How long start-up waits for a store server before it gives up with the reason. */
export const CONNECT_DEADLINE_MS = 5000;

/**
 * Opens the store named by `url`: `sqlite://<file>`, `redis://…` or `memory://`. Opening neither
 * walks nor sweeps what is stored, so start-up takes the same time however much is kept.
 */
export async function createStore(url: string, opts: { connectDeadlineMs?: number } = {}): Promise<Store> {
  const kind = storeKind(url);
  const legacyCounters = (await import('./legacy-counters.ts')).openLegacyCounters(kind, url, opts.connectDeadlineMs ?? CONNECT_DEADLINE_MS);
  const backend = await openBackend(kind, url, opts.connectDeadlineMs ?? CONNECT_DEADLINE_MS);
  const cache = new Map<Namespace | LegacyNamespace, Keyv>();
  const ns = <T>(name: Namespace | LegacyNamespace): Keyv<T> => {
    let k = cache.get(name);
    if (!k) {
      k = new Keyv({ store: backend.make(name), namespace: name });
      k.on('error', () => undefined); // surfaced by the failing call itself
      cache.set(name, k);
    }
    return k as Keyv<T>;
  };
  for (const name of NAMESPACES) ns(name);
  const { atomic } = backend;
  return {
    kind,
    ns,
    atomic,
    ...(legacyCounters ? { legacyCounters } : {}),
    async sweep() {
      const removed = await backend.sweep(ns);
      await atomic.sweep();
      return removed;
    },
    async close() {
      await backend.close();
      cache.clear();
      await atomic.close();
    },
  };
}

function storeKind(url: string): Store['kind'] {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('redis:') || url.startsWith('rediss:')) return 'redis';
  if (url.startsWith('memory:')) return 'memory';
  throw new HiveError('store_unsupported', `HIVE_STORE_URL: unsupported store "${url.split(':')[0]}:"; use sqlite://, redis:// or memory://`);
}

interface Backend {
  make: (name: Namespace | LegacyNamespace) => Keyv['store'];
  atomic: AtomicOps;
  /** Deletes expired entries; returns how many. */
  sweep: (ns: (name: Namespace | LegacyNamespace) => Keyv) => Promise<number>;
  close: () => Promise<void>;
}

async function openBackend(kind: Store['kind'], url: string, deadlineMs: number): Promise<Backend> {
  if (kind === 'memory') return memoryBackend();
  if (kind === 'sqlite') {
    const file = url.replace(/^sqlite:\/\//, '');
    const { openKeyedSqlite, sweepExpired, TABLE } = await import('./sqlite/keyed-sqlite.ts');
    const { KeyvBetterSqlite } = await import('./sqlite/keyv-better-sqlite.ts');
    const { createSqliteAtomic } = await import('./sqlite/atomic-sqlite.ts');
    const db = openKeyedSqlite(file);
    return {
      make: () => new KeyvBetterSqlite(db, `sqlite://${file}`),
      atomic: await createSqliteAtomic(db),
      sweep: () => sweepExpired(db, TABLE),
      close: async () => void db.close(),
    };
  }
  const { connectRedis } = await import('./redis/redis-connect.ts');
  const client = await connectRedis(url, deadlineMs);
  const { default: KeyvRedis } = await import('@keyv/redis');
  const { createRedisAtomic } = await import('./redis/atomic-redis.ts');
  return {
    make: () => new KeyvRedis(client, { throwOnConnectError: true }),
    atomic: createRedisAtomic(client),
    sweep: async () => 0, // Redis expires entries itself (every set carries its TTL)
    close: async () => void (await client.quit().catch(() => undefined)),
  };
}

/** In-process maps; a sweep walks them, which is fine for data that lives as long as the process. */
function memoryBackend(): Backend {
  const maps = new Map<Namespace | LegacyNamespace, Map<string, unknown>>();
  return {
    make: (name) => {
      const map = new Map<string, unknown>();
      maps.set(name, map);
      return map;
    },
    atomic: createMemoryAtomic(),
    sweep: async (ns) => {
      let removed = 0;
      for (const [name, map] of maps) {
        const before = map.size;
        const keyv = ns(name);
        // Keyv deletes expired entries as its iterator meets them.
        if (keyv.iterator) for await (const entry of keyv.iterator(undefined)) void entry;
        removed += before - map.size;
      }
      return removed;
    },
    close: async () => maps.clear(),
  };
}
