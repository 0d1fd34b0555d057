import type { Lane } from './pacer-admission.ts';
import { entries, LIMIT_NAME, observe, type PacerBuckets } from './pacer-buckets.ts';
import type { VendorLimits } from './pacer-limits.ts';
import { LIMIT_MEMORY_FRESH_MS, type LaneMemory } from './pacer-memory.ts';
import type { RateLimitSnapshot } from '../types.ts';

/** What a lane learned, to be stored. */
export function laneMemory(buckets: PacerBuckets, now: number): LaneMemory {
  const out: LaneMemory = { savedAt: now, buckets: {} };
  for (const [name, b] of entries(buckets)) out.buckets[name] = b.remember();
  return out;
}

/** Starts a lane from what an earlier process learned; older than the bound, only as a hint. */
export function recallLane(
  buckets: PacerBuckets,
  m: LaneMemory,
  now: number,
  o: { freshMs?: number | undefined; set?: Partial<VendorLimits> | undefined },
): void {
  const fresh = now - m.savedAt <= (o.freshMs ?? LIMIT_MEMORY_FRESH_MS);
  for (const [name, b] of entries(buckets)) {
    const saved = o.set?.[LIMIT_NAME[name]] === undefined ? m.buckets[name] : undefined; // an admin's setting wins
    if (saved && saved.capacity > 0 && saved.ratePerMs > 0) b.recall(saved, fresh, now, m.savedAt);
  }
}

/**
 * A call landed: its real use leaves the buckets, and whatever it said about the limits is
 * adopted (headers), or, when it said nothing, a success (`sentAt` given: it was let through)
 * lets an unproven lane grow. A failed call only takes what it used.
 */
export function learnFromCall(
  lane: Lane,
  held: Record<string, number>,
  used: Record<string, number> | undefined,
  sentAt: number | undefined,
  rl: RateLimitSnapshot | undefined,
  now: number,
): void {
  for (const [name, b] of entries(lane.buckets)) b.land(held[name] ?? 0, used ? (used[name] ?? 0) : 0, now, used ? sentAt : undefined);
  if (used && sentAt !== undefined && !rl?.requests) lane.buckets.requests?.relax(now);
  if (rl) observe(lane.buckets, rl, now);
}
