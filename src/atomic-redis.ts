import { createClient } from '@keyv/redis';
import type { AtomicOps } from './atomic.ts';

const ADD_WITHIN = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local d = tonumber(ARGV[1])
if ARGV[2] ~= '' and d > 0 and cur + d > tonumber(ARGV[2]) then return false end
return redis.call('INCRBY', KEYS[1], d)`;

/** Redis implementation: SET NX PX for claims, a Lua script for capped counters. */
export async function createRedisAtomic(url: string): Promise<AtomicOps> {
  const client = createClient({ url });
  client.on('error', () => undefined); // surfaced by the failing command
  await client.connect();
  const prefix = 'hive:atomic:';
  return {
    async claim(key, ttlMs) {
      return (await client.set(`${prefix}claim:${key}`, '1', { NX: true, PX: Math.max(1, Math.round(ttlMs)) })) === 'OK';
    },
    async addWithin(key, delta, cap) {
      const r = await client.eval(ADD_WITHIN, { keys: [`${prefix}n:${key}`], arguments: [String(Math.round(delta)), cap === undefined ? '' : String(cap)] });
      return r === null ? undefined : Number(r);
    },
    async addMany(entries) {
      if (entries.length === 0) return;
      const m = client.multi();
      for (const [k, d] of entries) m.incrBy(`${prefix}n:${k}`, Math.round(d));
      await m.exec();
    },
    async read(key) {
      return Number((await client.get(`${prefix}n:${key}`)) ?? 0);
    },
    async sweep() {},
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
