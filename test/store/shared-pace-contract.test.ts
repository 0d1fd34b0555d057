import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSharedPace } from '../../adapters/store/redis/redis-shared-pace.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { createPacer } from '../../src/pacing/pacer.ts';
import type { SharedPace } from '../../src/pacing/shared-pace.ts';
import { createMemorySharedPace } from '../../src/pacing/shared-pace-memory.ts';
import { sharedPaceContract } from '../contracts/shared-pace.contract.ts';
import { until } from '../helpers/until.ts';

/** The pace, with a way to wait until every operation sent so far has been answered (Redis answers in real time, the clock is manual). */
function tracked(inner: SharedPace): SharedPace & { idle(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  return {
    admit: (...a) => track(inner.admit(...a)),
    settle: (...a) => track(inner.settle(...a)),
    pause: (...a) => track(inner.pause(...a)),
    close: () => inner.close(),
    idle: async () => void (await Promise.allSettled([...inFlight])),
  };
}

/** Redis runs in CI (.ci/run starts one); locally the suite needs HIVE_TEST_REDIS_URL. */
const redisUrl = process.env.HIVE_TEST_REDIS_URL;
if (!redisUrl && process.env.CI) throw new Error('CI must provide HIVE_TEST_REDIS_URL so the Redis backend is tested');

/** A database of its own, and a prefix of this run's own within it. */
function isolated(url: string): string {
  const u = new URL(url);
  u.pathname = '/12';
  return u.toString();
}
const run = `hive:test:pace:${process.pid}-${Math.random().toString(36).slice(2)}:`;

sharedPaceContract('memory', { make: async (leaseMs) => createMemorySharedPace({ leaseMs }), cleanup: async () => undefined });

describe.skipIf(!redisUrl)('redis shared pace', () => {
  const admin = redisUrl ? new Redis(isolated(redisUrl)) : undefined;
  let n = 0;
  let prefix = '';
  const keysOf = async (p: string) => (await admin!.keys(`${p}*`)).sort();
  afterAll(async () => {
    const left = await keysOf(run);
    if (left.length > 0) await admin!.del(...left);
    await admin?.quit();
  });

  sharedPaceContract('redis', {
    make: async (leaseMs) => createRedisSharedPace({ url: isolated(redisUrl!), prefix: (prefix = `${run}${n++}:`), leaseMs }),
    cleanup: async () => {
      const left = await keysOf(prefix);
      if (left.length > 0) await admin!.del(...left);
    },
  });

  it('keeps a lane in two keys under its prefix, both expiring, so idle lanes leave nothing behind', async () => {
    const p = `${run}ttl:`;
    const pace = createRedisSharedPace({ client: admin!, prefix: p, leaseMs: 10_000 });
    const lim = { concurrency: 2, buckets: { requests: { capacity: 5, ratePerMs: 5 / 60_000 } } };
    const a = await pace.admit({ ws: 'discord:G1', pace: 'anthropic' }, { requests: 1 }, lim, 1_000);
    expect(a.ok).toBe(true);
    expect(await keysOf(p)).toEqual([`${p}{discord:G1|anthropic}`, `${p}{discord:G1|anthropic}:leases`]);
    for (const k of await keysOf(p)) expect(await admin!.pttl(k)).toBeGreaterThan(0);
    await pace.close(); // a client it was given stays open for its owner
    expect(await admin!.ping()).toBe('PONG');
  });

  it("GIVEN two workers paced through Redis THEN together they keep the limit and each other's pauses", async () => {
    const clock = createManualClock(Date.parse('2026-11-30T18:00:00Z'));
    const shared = tracked(createRedisSharedPace({ url: isolated(redisUrl!), prefix: `${run}pacers:`, leaseMs: 60_000 }));
    const limits = () => ({ rpm: 2, concurrency: 10, itpm: undefined, otpm: undefined, tpm: undefined });
    const [a, b] = [createPacer({ clock, shared, overrides: limits }), createPacer({ clock, shared, overrides: limits })];
    const small = { inputTokens: 10, outputTokens: 10 };
    (await a.acquire('w', 'anthropic', small)).release(small);
    (await b.acquire('w', 'anthropic', small)).release(small);
    let third = false;
    const p = b.acquire('w', 'anthropic', small).then((t) => ((third = true), t));
    await until('the shared refusal sets the lane waiting', () => clock.pending() > 0);
    await shared.idle();
    expect(third).toBe(false); // each worker alone would have had room for two
    await clock.advance(30_000);
    (await p).release(small);
    a.pause('w', 'anthropic', 20_000, { fromVendor: true });
    await shared.idle();
    let fourth = false;
    const q = b.acquire('w', 'anthropic', small).then((t) => ((fourth = true), t));
    await until('the shared pause reaches the other worker', () => clock.pending() > 0);
    await clock.advance(19_999);
    await shared.idle();
    expect(fourth).toBe(false);
    // The pause ends; the request bucket the 429 drained then refills (the other 429'd worker's own pace is slower still).
    for (let i = 0; i < 20 && !fourth; i++) {
      await clock.advance(1_000);
      await shared.idle();
    }
    expect(fourth).toBe(true);
    (await q).release(small);
    await shared.idle();
    await shared.close();
  });

  it('GIVEN Redis is unreachable THEN each operation fails promptly (the pacer then paces locally)', async () => {
    const pace = createRedisSharedPace({ url: 'redis://127.0.0.1:1', prefix: `${run}down:`, leaseMs: 10_000 });
    const lim = { concurrency: 2, buckets: { requests: { capacity: 5, ratePerMs: 5 / 60_000 } } };
    await expect(pace.admit({ ws: 'w', pace: 'openai' }, { requests: 1 }, lim, 0)).rejects.toThrow();
    await pace.close();
  });
});
