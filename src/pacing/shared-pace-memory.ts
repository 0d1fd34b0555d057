import { randomUUID } from 'node:crypto';
import type { BucketName } from './pacer-buckets.ts';
import type { Admission, PaceAmounts, PaceKey, SharedLimits, SharedPace, WaitReason } from './shared-pace.ts';

interface Level {
  level: number;
  at: number;
}

interface KeyState {
  pausedUntil: number;
  levels: Map<BucketName, Level>;
  /** Lease id → when it expires. */
  leases: Map<string, number>;
}

const names = (a: object) => Object.keys(a) as BucketName[];

/**
 * The shared pace in one process's memory: the reference the Redis scripts mirror step by step
 * (the contract suite runs both), and a stand-in for several processes in tests.
 */
export function createMemorySharedPace(o: { leaseMs: number }): SharedPace {
  const paces = new Map<string, KeyState>();
  const stateOf = (k: PaceKey): KeyState => {
    const id = `${k.ws}|${k.pace}`;
    let s = paces.get(id);
    if (!s) paces.set(id, (s = { pausedUntil: 0, levels: new Map(), leases: new Map() }));
    return s;
  };
  return {
    async admit(key, need, limits, now): Promise<Admission> {
      const s = stateOf(key);
      const no = refusal(s, need, limits, now);
      if (no) return { ok: false, ...no };
      for (const name of names(limits.buckets)) {
        const l = refill(s, name, limits, now);
        s.levels.set(name, { level: l.level - (need[name] ?? 0), at: l.at });
      }
      const lease = randomUUID();
      s.leases.set(lease, now + o.leaseMs);
      return { ok: true, lease };
    },
    async settle(key, lease, correction, limits, now) {
      const s = stateOf(key);
      s.leases.delete(lease);
      for (const name of names(correction)) {
        if (!limits.buckets[name]) continue;
        const l = refill(s, name, limits, now);
        s.levels.set(name, { level: Math.min(limits.buckets[name]!.capacity, l.level - (correction[name] ?? 0)), at: l.at });
      }
    },
    async pause(key, p, now) {
      const s = stateOf(key);
      s.pausedUntil = Math.max(s.pausedUntil, p.untilMs);
      const r = s.levels.get('requests');
      if (p.drainRequests) s.levels.set('requests', { level: Math.min(r?.level ?? 1, 1), at: Math.max(now, r?.at ?? now) });
    },
    async close() {
      paces.clear();
    },
  };
}

/** The bucket's level at `now`, refilled (not stored); an unseen bucket is full. Time never runs back (see the Redis scripts). */
function refill(s: KeyState, name: BucketName, limits: SharedLimits, now: number): Level {
  const lim = limits.buckets[name]!;
  const cur = s.levels.get(name) ?? { level: lim.capacity, at: now };
  const t = Math.max(now, cur.at);
  return { level: Math.min(lim.capacity, cur.level + (t - cur.at) * lim.ratePerMs), at: t };
}

/** Why the call may not be admitted now (a pause, every lease taken, a bucket short), if it may not. */
function refusal(s: KeyState, need: PaceAmounts, limits: SharedLimits, now: number): { waitMs: number; why: WaitReason } | undefined {
  if (s.pausedUntil > now) return { waitMs: Math.ceil(s.pausedUntil - now), why: 'paused' };
  for (const [id, until] of s.leases) if (until <= now) s.leases.delete(id);
  if (s.leases.size >= limits.concurrency) return { waitMs: Math.max(1, Math.ceil(Math.min(...s.leases.values()) - now)), why: 'concurrency' };
  let worst: { waitMs: number; why: WaitReason } | undefined;
  for (const name of names(limits.buckets)) {
    const lim = limits.buckets[name]!;
    const short = Math.min(need[name] ?? 0, lim.capacity) - refill(s, name, limits, now).level;
    const waitMs = short <= 0 ? 0 : Math.max(1, Math.ceil(short / lim.ratePerMs));
    if (waitMs > (worst?.waitMs ?? 0)) worst = { waitMs, why: name };
  }
  return worst;
}
