import type Keyv from 'keyv';
import { type BucketName, entries, LIMIT_NAME, observe, type PacerBuckets } from './pacer-buckets.ts';
import type { BucketMemory } from './token-bucket.ts';
import type { Pace } from './pacer-admission.ts';
import type { VendorLimits } from './pacer-limits.ts';
import type { RateLimitSnapshot } from '../shared/provider-spec.ts';

/** What one pace (workspace × vendor, or × model) learned about its limits, and when. */
export interface PaceMemory {
  savedAt: number;
  buckets: Partial<Record<BucketName, BucketMemory>>;
}

/**
 * Learned limits survive a restart, so a new process does not probe a vendor from one call at a
 * time again. Read lazily per pace (never a walk at start-up), written behind: a save only marks
 * the pace dirty, and one debounced write stores the latest of each, off every answer's path.
 */
export interface LimitMemory {
  /** `pace`: the vendor (`openai`) or one of its models (`openai|gpt-6-luna`). */
  load(ws: string, pace: string): Promise<PaceMemory | undefined>;
  /** Remembers the pace's latest state; it reaches the store within `debounceMs`. */
  save(ws: string, pace: string, m: PaceMemory): void;
  /** Writes whatever is pending now (at shutdown). */
  flush(): Promise<void>;
}

/** Past this age a remembered limit is a hint (start from half of it), not the truth. */
export const LIMIT_MEMORY_FRESH_MS = 60 * 60_000;
/** Learned state is kept this long after its last write. */
const KEEP_MS = 30 * 24 * 60 * 60_000;

export function createLimitMemory(o: { kv: Keyv<PaceMemory>; debounceMs?: number; onError?: (e: unknown) => void }): LimitMemory {
  const dirty = new Map<string, PaceMemory>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const key = (ws: string, pace: string) => `${ws}|${pace}`;
  const write = (): Promise<void> => {
    timer = undefined;
    const batch = [...dirty];
    dirty.clear();
    writing = writing.then(async () => {
      for (const [k, m] of batch) await o.kv.set(k, m, KEEP_MS).catch((e: unknown) => o.onError?.(e));
    });
    return writing;
  };
  return {
    async load(ws, pace) {
      try {
        const m = await o.kv.get(key(ws, pace));
        return m && typeof m.savedAt === 'number' && typeof m.buckets === 'object' ? m : undefined;
      } catch (e) {
        o.onError?.(e);
        return undefined;
      }
    },
    save(ws, pace, m) {
      dirty.set(key(ws, pace), m);
      if (timer) return;
      timer = setTimeout(() => void write(), o.debounceMs ?? 2_000);
      timer.unref?.();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      await write();
    },
  };
}

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
