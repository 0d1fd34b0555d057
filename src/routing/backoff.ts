/** Retry timing for the router's one retry loop. */
export interface BackoffPolicy {
  /** Attempts per vendor after failures that are not rate limits (5xx, timeouts, cut streams), the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** A wait longer than this is not sat out while another vendor of the job's lane (its cost tier) could answer. */
  maxInlineWaitMs: number;
  /**
   * How long a rate-limited job may wait for its pace (queue, `retry-after`, 429 retries) before it
   * is refused with when to try again. Two minutes: long enough for a per-minute window to refill
   * twice, short enough that nobody stares at a placeholder for longer.
   */
  rateDeadlineMs: number;
  /**
   * Once a call has failed (not a rate limit), everything else the job tries — backoff, retries,
   * fallback to another vendor — fits in this, so the user hears back soon when every vendor is down.
   * Time spent waiting for a rate limit is not counted against it.
   */
  failureBudgetMs: number;
  /** Rate-limit retries per vendor within one job (a safety net; the deadline usually ends them first). */
  maxRateRetries: number;
  /** A wait at least this long is announced to the user ("Waiting for OpenAI's rate limit, about 12 s"). */
  noticeAfterMs: number;
}

/** The defaults; `rateDeadlineMs` (2 min) and `failureBudgetMs` (15 s) are the user-visible promises. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  attempts: 3,
  baseMs: 500,
  maxMs: 20_000,
  maxInlineWaitMs: 5_000,
  rateDeadlineMs: 120_000,
  failureBudgetMs: 15_000,
  maxRateRetries: 10,
  noticeAfterMs: 3_000,
};

/**
 * Exponential backoff with "equal jitter", never shorter than the vendor's `retry-after`:
 * attempt n waits between half and all of base·2ⁿ.
 */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, p: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** attempt);
  const jittered = exp / 2 + (random() * exp) / 2;
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}
