import { backoffMs, type BackoffPolicy } from './backoff.ts';
import type { Clock } from '../shared/clock.ts';
import type { Cooldowns } from './cooldown.ts';
import { HiveError, KEY_FATAL_KINDS, type VendorError } from '../shared/errors.ts';
import type { KeyService } from '../keys/key-service.ts';
import { PacerFullError } from '../pacing/pacer-errors.ts';
import { MIN_ATTEMPT_MS, type RetryBudget } from './retry-budget.ts';
import type { PaceTarget, Pacer } from '../pacing/pacer.ts';

/** What the retry loop knows when a call has failed. */
export interface VerdictContext {
  workspaceId: string;
  /** Another vendor of the job's lane (its cost tier) could answer instead. */
  more: boolean;
  /** When the failed call was sent. */
  sentAt?: number;
  /** The pace the call was made in (its model's); the vendor's own pace when absent. */
  pace?: PaceTarget;
  budget: RetryBudget;
  /** Failed calls so far on this vendor in this job, by kind of failure. */
  tries: { sick: number; limited: number };
  policy: BackoffPolicy;
  pacer: Pacer;
  cooldowns: Cooldowns;
  keys: KeyService;
  clock: Clock;
  random?: (() => number) | undefined;
}

/** What to do after a failed call: wait `waitMs` and retry here, or stop (and whether the vendor may be tried again later). */
export interface Verdict {
  stop: boolean;
  fatal: boolean;
  again: boolean;
  waitMs: number;
  /** The wait is for a rate limit (not counted against the failure budget). */
  rate: boolean;
  /** Replaces the vendor's error as the reason given to the user. */
  error?: HiveError;
}

const STOP: Verdict = { stop: true, fatal: false, again: false, waitMs: 0, rate: false };

/** Decides what a failure means: wait and retry here, move to the next vendor, or stop. */
export async function judgeFailure(err: VendorError, c: VerdictContext): Promise<Verdict> {
  if (err.kind === 'aborted') return { ...STOP, fatal: true };
  c.cooldowns.failure(c.workspaceId, err.vendor, err.kind);
  if (KEY_FATAL_KINDS.includes(err.kind)) {
    await c.keys.reportFailure(c.workspaceId, err.vendor, err);
    return STOP;
  }
  if (!err.retryable) return STOP;
  return err.kind === 'rate_limit' ? rateVerdict(err, c) : sickVerdict(err, c);
}

/**
 * A 429: the pace is paused for the vendor's `retry-after` (or the backoff), so other jobs hold
 * back too, and this job waits its turn while the deadline allows, rather than giving up.
 */
function rateVerdict(err: VendorError, c: VerdictContext): Verdict {
  const { tries, policy: p } = c;
  const now = c.clock.now();
  const waitMs = backoffMs(Math.min(tries.limited, 5), err.retryAfterMs, p, c.random);
  tries.limited++;
  c.pacer.pause(c.workspaceId, c.pace ?? err.vendor, err.retryAfterMs ?? waitMs, {
    fromVendor: err.retryAfterMs !== undefined,
    ...(c.sentAt !== undefined ? { sentAt: c.sentAt } : {}),
  });
  if (now + waitMs > c.budget.rateDeadline()) return { ...STOP, error: new PacerFullError(err.vendor, waitMs, now) };
  const spent = tries.limited >= p.maxRateRetries;
  return { stop: spent || (c.more && waitMs > p.maxInlineWaitMs), fatal: false, again: !spent, waitMs, rate: true };
}

/** A vendor-side failure (5xx, timeout, cut stream): a few quick retries within the job's failure budget. */
function sickVerdict(err: VendorError, c: VerdictContext): Verdict {
  const { tries, policy: p } = c;
  const now = c.clock.now();
  c.budget.failed(now);
  const waitMs = backoffMs(tries.sick, err.retryAfterMs, p, c.random);
  tries.sick++;
  const last = tries.sick >= p.attempts;
  const tooLong = c.more && (waitMs > p.maxInlineWaitMs || err.kind === 'overloaded');
  const late = waitMs + MIN_ATTEMPT_MS > c.budget.failureLeft(now);
  return { stop: last || tooLong || late, fatal: false, again: false, waitMs, rate: false };
}
