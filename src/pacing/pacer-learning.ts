import type { Pace } from './pacer-admission.ts';
import { entries, LIMIT_NAME, observe, type BucketName, type PacerBuckets } from './pacer-buckets.ts';
import type { VendorLimits } from './pacer-limits.ts';
import { LIMIT_MEMORY_FRESH_MS, type PaceMemory } from './pacer-memory.ts';
import type { RateLimitSnapshot } from '../shared/provider-spec.ts';

/** What a pace learned, to be stored. */
export function paceMemory(buckets: PacerBuckets, now: number): PaceMemory {
  const out: PaceMemory = { savedAt: now, buckets: {} };
  for (const [name, b] of entries(buckets)) out.buckets[name] = b.remember();
  return out;
}

/** Starts a pace from what an earlier process learned; older than the bound, only as a hint. */
export function recallPace(
  buckets: PacerBuckets,
  m: PaceMemory,
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
 * let through) lets an unproven pace grow. A failed call only takes what it used.
 */
export function learnFromCall(
  pace: Pace,
  held: Record<string, number>,
  used: Record<string, number> | undefined,
  call: { sentAt: number; succeeded: boolean; seqs?: Partial<Record<BucketName, number>> },
  rl: RateLimitSnapshot | undefined,
  now: number,
): void {
  const proof = used && call.succeeded ? call.sentAt : undefined;
  for (const [name, b] of entries(pace.buckets)) b.land(held[name] ?? 0, used ? (used[name] ?? 0) : 0, now, proof ?? call.sentAt, call.seqs?.[name]);
  if (proof !== undefined && !rl?.requests) pace.buckets.requests?.relax(now);
  if (rl) observe(pace.buckets, rl, now, { sentAt: call.sentAt, ...(call.seqs ? { seqs: call.seqs } : {}) });
}
