import type { BackoffPolicy } from './backoff.ts';

/** A retry is not started with less than this left of the failure budget: it could not finish. */
export const MIN_ATTEMPT_MS = 1_000;

/**
 * One job's time limits across every vendor it tries: the deadline for waiting on rate limits,
 * and the failure budget that starts at the first failed call and excludes rate-limit waits.
 */
export interface RetryBudget {
  /** Clock time by which a rate-limited job must have started its call; time spent in calls moves it on. */
  rateDeadline(): number;
  /** Time spent in a vendor call: neither waiting for a rate limit nor backing off. */
  called(ms: number): void;
  /** A call failed for a reason other than a rate limit: the failure budget starts (once). */
  failed(now: number): void;
  /** Milliseconds left of the failure budget; `Infinity` while nothing has failed. */
  failureLeft(now: number): number;
  /** Time spent waiting for a rate limit, which the failure budget does not count. */
  excuse(ms: number): void;
}

export function createRetryBudget(start: number, p: BackoffPolicy): RetryBudget {
  let failedAt: number | undefined;
  let excused = 0;
  let inCalls = 0;
  return {
    rateDeadline: () => start + p.rateDeadlineMs + inCalls,
    called(ms) {
      inCalls += Math.max(0, ms);
    },
    failed(now) {
      failedAt ??= now;
    },
    failureLeft(now) {
      return failedAt === undefined ? Infinity : failedAt + p.failureBudgetMs + excused - now;
    },
    excuse(ms) {
      if (failedAt !== undefined) excused += Math.max(0, ms);
    },
  };
}
