import { createTokenBucket, type TokenBucket } from './token-bucket.ts';
import type { LimitWindow, RateLimitSnapshot } from '../shared/provider-spec.ts';
import type { VendorLimits } from './pacer-limits.ts';

/** What a call is expected to use, reserved before dispatch and corrected after. */
export interface Demand {
  inputTokens: number;
  /** The call's max output tokens: vendors count it against output limits until they know better. */
  outputTokens: number;
}

export type BucketName = 'requests' | 'input' | 'output' | 'tokens';

/** A pace's enforced buckets; `undefined` ones are not enforced. */
export type PacerBuckets = Partial<Record<BucketName, TokenBucket>>;

const MINUTE = 60_000;
/**
 * Every pace whose limit nobody set starts at the same cautious rate (the lowest entry tier's
 * requests per minute), so a first burst spreads evenly over the keys until their headers speak.
 */
const UNPROVEN_RPM = 50;

/** The limit each bucket stands for, as admins write it in `/hive lanes limits`. */
export const LIMIT_NAME: Record<BucketName, 'rpm' | 'itpm' | 'otpm' | 'tpm'> = { requests: 'rpm', input: 'itpm', output: 'otpm', tokens: 'tpm' };

/** How much of each bucket one call of this size takes. */
export function amounts(d: Demand): Record<BucketName, number> {
  return { requests: 1, input: d.inputTokens, output: d.outputTokens, tokens: d.inputTokens + d.outputTokens };
}

/**
 * A pace's buckets. A limit the admin did not set (`set` lacks it) is a guess: the request bucket
 * then probes from one call at a time, and no guess ever refuses a job as too big or too late.
 */
export function bucketsFor(limits: VendorLimits, now: number, set?: Partial<VendorLimits>, jitterMs = 0): PacerBuckets {
  const mk = (n: number | undefined, field: 'rpm' | 'itpm' | 'otpm' | 'tpm') => {
    if (n === undefined) return undefined;
    const guessed = set?.[field] === undefined;
    return createTokenBucket(n, limits.periodMs ?? MINUTE, now, {
      guessed,
      probe: guessed && field === 'rpm',
      startRatePerMs: field === 'rpm' ? UNPROVEN_RPM / MINUTE : undefined,
      jitterMs,
    });
  };
  return { requests: mk(limits.rpm, 'rpm'), input: mk(limits.itpm, 'itpm'), output: mk(limits.otpm, 'otpm'), tokens: mk(limits.tpm, 'tpm') };
}

/** The pace's enforced buckets with their names. */
export function entries(buckets: PacerBuckets): [BucketName, TokenBucket][] {
  return (Object.entries(buckets) as [BucketName, TokenBucket | undefined][]).filter((e): e is [BucketName, TokenBucket] => e[1] !== undefined);
}

/**
 * The first bucket a call of this size can never pass, however long it waits. Output is left
 * out: vendors count the tokens really written, so a `max_tokens` above the output limit still runs.
 */
export function tooSmall(buckets: PacerBuckets, d: Demand): { name: BucketName; need: number; capacity: number } | undefined {
  const need = amounts(d);
  for (const [name, b] of entries(buckets)) {
    if (name !== 'output' && !b.fits(need[name])) return { name, need: need[name], capacity: b.capacity };
  }
  return undefined;
}

/** Adopts what the vendor's rate-limit headers said about each window, for the call sent at `sentAt` (numbered per bucket). */
export function observe(
  buckets: PacerBuckets,
  rl: RateLimitSnapshot,
  now: number,
  call: { sentAt?: number; seqs?: Partial<Record<BucketName, number>> } = {},
): void {
  const apply = (name: BucketName, w: LimitWindow | undefined) => {
    const b = buckets[name];
    if (!b || !w) return;
    const seq = call.seqs?.[name];
    const timing = { ...(call.sentAt === undefined ? {} : { sentAt: call.sentAt }), ...(seq === undefined ? {} : { seq }) };
    b.observe(w.limit, w.remaining, w.resetMs, now, { ...timing, fromCount: w.resetFromCount === true, slackMs: w.resetSlackMs ?? 0 });
  };
  apply('requests', rl.requests);
  apply('input', rl.inputTokens);
  apply('output', rl.outputTokens);
  apply('tokens', rl.tokens);
}

/** A slot in a vendor pace; release it exactly once with what the call really used. */
export interface PacerTicket {
  release(actual?: { inputTokens: number; outputTokens: number }, rateLimit?: RateLimitSnapshot): void;
  /**
   * The call failed (429, 5xx, cut): it takes from the pace what the vendor reported it used (a cut
   * stream's usage), else nothing, and it proves nothing about the pace (a 429 must not speed it up).
   */
  fail(actual?: { inputTokens: number; outputTokens: number }): void;
  /** Gives the slot back unused (the call was never made). */
  cancel(): void;
}
