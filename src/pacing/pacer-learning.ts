import type { Lane } from './pacer-admission.ts';
import { entries, LIMIT_NAME, observe, type BucketName, type PacerBuckets } from './pacer-buckets.ts';
import type { VendorLimits } from './pacer-limits.ts';
import { LIMIT_MEMORY_FRESH_MS, type LaneMemory } from './pacer-memory.ts';
import type { RateLimitSnapshot } from '../shared/types.ts';

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
 * A call landed: its real use replaces what was taken for it, and whatever it said about the limits
 * is adopted (headers, placed at the call's sending), or, when it said nothing, a success (it was
 * let through) lets an unproven lane grow. A failed call only takes what it used.
 */
export function learnFromCall(
  lane: Lane,
  held: Record<string, number>,
  used: Record<string, number> | undefined,
  call: { sentAt: number; succeeded: boolean; seqs?: Partial<Record<BucketName, number>> },
  rl: RateLimitSnapshot | undefined,
  now: number,
): void {
  const proof = used && call.succeeded ? call.sentAt : undefined;
  for (const [name, b] of entries(lane.buckets)) b.land(held[name] ?? 0, used ? (used[name] ?? 0) : 0, now, proof ?? call.sentAt, call.seqs?.[name]);
  if (proof !== undefined && !rl?.requests) lane.buckets.requests?.relax(now);
  if (rl) observe(lane.buckets, rl, now, { sentAt: call.sentAt, ...(call.seqs ? { seqs: call.seqs } : {}) });
}
