import type { LegacyCounters } from '../../../src/store/store.ts';
import { connectRedis } from './redis-connect.ts';

/** Where releases before the SQL log store kept budget counters (INCRBY on nano-dollars). */
const PREFIX = 'hive:atomic:n:';
const BATCH = 500;

/**
 * The old budget counters of a Redis store, read with SCAN (never KEYS, so a large database is not
 * blocked) on a connection of their own that lives only while the import uses it.
 */
export function createRedisLegacyCounters(url: string, deadlineMs: number): LegacyCounters {
  const scan = async function* () {
    const client = await connectRedis(url, deadlineMs);
    try {
      for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: BATCH })) {
        if (keys.length === 0) continue;
        yield { client, keys };
      }
    } finally {
      await client.quit().catch(() => undefined);
    }
  };
  return {
    async *entries() {
      for await (const { client, keys } of scan()) {
        const values = await client.mGet(keys);
        for (const [i, key] of keys.entries()) if (values[i] != null) yield [key.slice(PREFIX.length), Number(values[i])] as [string, number];
      }
    },
    async clear() {
      for await (const { client, keys } of scan()) await client.del(keys);
    },
  };
}
