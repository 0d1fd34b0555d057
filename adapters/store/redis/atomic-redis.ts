import type { RedisClientType } from '@keyv/redis';
import type { AtomicOps } from '../../../src/store/atomic.ts';

/** Redis implementation: SET NX PX for claims. */
export function createRedisAtomic(client: RedisClientType): AtomicOps {
  const prefix = 'hive:atomic:';
  return {
    async claim(key, ttlMs) {
      return (await client.set(`${prefix}claim:${key}`, '1', { NX: true, PX: Math.max(1, Math.round(ttlMs)) })) === 'OK';
    },
    async sweep() {},
    async close() {}, // the store closes the shared client
  };
}
