/** Retry timing for the router's one retry loop. */
export interface BackoffPolicy {
  /** Attempts per vendor, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** A wait longer than this is not sat out while another vendor in the lane could answer. */
  maxInlineWaitMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { attempts: 3, baseMs: 500, maxMs: 20_000, maxInlineWaitMs: 5_000 };

/**
 * Exponential backoff with "equal jitter", never shorter than the vendor's `retry-after`:
 * attempt n waits between half and all of base·2ⁿ.
 */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, p: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** attempt);
  const jittered = exp / 2 + (random() * exp) / 2;
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}
