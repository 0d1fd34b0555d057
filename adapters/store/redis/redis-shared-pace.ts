import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BucketName } from '../../../src/pacing/pacer-buckets.ts';
import type { Admission, PaceAmounts, PaceKey, SharedLimits, SharedPace, WaitReason } from '../../../src/pacing/shared-pace.ts';
import { ADMIT_LUA, PAUSE_LUA, SETTLE_LUA } from './redis-shared-pace-scripts.ts';

type Arg = string | number;

/** The scripts as client commands (`defineCommand` sends them by EVALSHA, loading them once). */
interface PaceCommands {
  hivePaceAdmit(k1: string, k2: string, ...args: Arg[]): Promise<[number, number, string]>;
  hivePaceSettle(k1: string, k2: string, ...args: Arg[]): Promise<number>;
  hivePacePause(k1: string, k2: string, ...args: Arg[]): Promise<number>;
}

/** Where the shared pace lives: a Redis URL (its own connection) or a client the caller owns; and how long a lease lasts. */
export interface RedisSharedPaceOptions {
  url?: string;
  client?: Redis;
  /** Key prefix (default `hive:pace:`); a pace's keys are `<prefix>{<ws>|<pace>}` and `…:leases`. */
  prefix?: string;
  /** A lease's life: the vendor call timeout plus a margin (`leaseMsFor`), so only a dead process's lease expires. */
  leaseMs: number;
}

/** The buckets' figures as script arguments: name, amount, capacity, rate, for each bucket the caller's limits enforce. */
function bucketArgs(amounts: PaceAmounts, limits: SharedLimits): Arg[] {
  const out: Arg[] = [];
  for (const [name, lim] of Object.entries(limits.buckets) as [BucketName, SharedLimits['buckets'][BucketName]][]) {
    if (lim && amounts[name] !== undefined) out.push(name, amounts[name]!, lim.capacity, lim.ratePerMs);
  }
  return out;
}

/** A connection of its own: commands fail fast while Redis is away (the pacer then paces locally) instead of queueing for long. */
function connect(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2_000 });
  client.on('error', () => undefined); // each failing command reports its own error to the pacer
  return client;
}

/**
 * Vendor pacing in Redis, so every worker process respects each workspace × pace's limits and each
 * other's 429 pauses. Each operation is one Lua script, atomic per pace; idle paces' keys expire.
 */
export function createRedisSharedPace(o: RedisSharedPaceOptions): SharedPace {
  if (!o.client && !o.url) throw new Error('createRedisSharedPace needs a url or a client');
  const owned = !o.client;
  const client = o.client ?? connect(o.url!);
  client.defineCommand('hivePaceAdmit', { numberOfKeys: 2, lua: ADMIT_LUA });
  client.defineCommand('hivePaceSettle', { numberOfKeys: 2, lua: SETTLE_LUA });
  client.defineCommand('hivePacePause', { numberOfKeys: 2, lua: PAUSE_LUA });
  const run = client as unknown as PaceCommands;
  const prefix = o.prefix ?? 'hive:pace:';
  // The braces are a cluster hash tag: a pace's two keys always share a slot, as a script needs.
  const keys = (k: PaceKey): [string, string] => [`${prefix}{${k.ws}|${k.pace}}`, `${prefix}{${k.ws}|${k.pace}}:leases`];
  return {
    async admit(key, need, limits, now): Promise<Admission> {
      const lease = randomUUID();
      const [ok, waitMs, why] = await run.hivePaceAdmit(...keys(key), now, lease, o.leaseMs, limits.concurrency, ...bucketArgs(need, limits));
      return ok === 1 ? { ok: true, lease } : { ok: false, waitMs: Number(waitMs), why: why as WaitReason };
    },
    async settle(key, lease, correction, limits, now) {
      await run.hivePaceSettle(...keys(key), now, lease, ...bucketArgs(correction, limits));
    },
    async pause(key, p, now) {
      await run.hivePacePause(...keys(key), now, p.untilMs, p.drainRequests ? '1' : '0');
    },
    async close() {
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}
