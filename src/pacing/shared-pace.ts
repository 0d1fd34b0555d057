import type { BucketName } from './pacer-buckets.ts';

/**
 * Pacing shared by every process that calls vendors with the same keys (scale-out): N workers
 * together stay within one workspace × pace's limits, and a 429 one of them hears pauses all.
 *
 * The shared state holds levels, never limits: each caller passes its own current view of the
 * pace's limits (configured, or learned from headers), so a process that learned a slower pace
 * refills the shared levels more slowly on its admissions. Times are the caller's clock (`nowMs`),
 * so the pace runs on a test's manual clock; see the Redis implementation for how skewed clocks
 * between processes are kept harmless.
 */
export interface SharedPace {
  /**
   * Takes everything the call needs at once, or nothing: no shared pause, a free concurrency lease
   * (one that expires by itself, so a killed process's calls free their places), and room in every
   * bucket, which refills continuously at `ratePerMs` up to `capacity`.
   */
  admit(key: PaceKey, need: PaceAmounts, limits: SharedLimits, nowMs: number): Promise<Admission>;
  /** The call is over: frees its lease and charges (positive) or refunds (negative) `correction`, what it really used minus what it reserved. */
  settle(key: PaceKey, lease: string, correction: PaceAmounts, limits: SharedLimits, nowMs: number): Promise<void>;
  /**
   * A 429's retry-after, seen by every process. `drainRequests`: the vendor said nothing is left, so the
   * shared request bucket keeps only the one request the retry-after promises (the local one is drained too).
   */
  pause(key: PaceKey, p: { untilMs: number; drainRequests: boolean }, nowMs: number): Promise<void>;
  close(): Promise<void>;
}

/** One workspace × pace (`paceName`: `openai` or `openai|gpt-6-luna`). */
export interface PaceKey {
  ws: string;
  pace: string;
}

/** Amounts per enforced bucket (buckets the pace does not enforce are absent). */
export type PaceAmounts = Partial<Record<BucketName, number>>;

/** One bucket's limit as the caller sees it now. */
export interface SharedBucketLimit {
  /** The most the level may hold (the local bucket's capacity, or less while its burst is probed). */
  capacity: number;
  ratePerMs: number;
}

/** The pace's limits as the caller sees them now. */
export interface SharedLimits {
  concurrency: number;
  buckets: Partial<Record<BucketName, SharedBucketLimit>>;
}

/** Why the shared pace said wait: a pause, every lease taken, or the bucket short of room. */
export type WaitReason = 'paused' | 'concurrency' | BucketName;

/**
 * Admitted with a lease to settle, or told how long until it could be: exact for a pause or a
 * bucket, the earliest lease expiry for concurrency (a lease settled sooner frees it sooner).
 */
export type Admission = { ok: true; lease: string } | { ok: false; waitMs: number; why: WaitReason };

/** How long past the vendor call timeout a lease outlives its call, so only a dead process's lease ever expires. */
export const LEASE_MARGIN_MS = 30_000;

/** The lease TTL for calls bounded by `vendorTimeoutMs`. */
export const leaseMsFor = (vendorTimeoutMs: number): number => vendorTimeoutMs + LEASE_MARGIN_MS;
