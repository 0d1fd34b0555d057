import { createTokenBucket, type TokenBucket } from './token-bucket.ts';
import type { LimitWindow, RateLimitSnapshot } from '../types.ts';
import type { VendorLimits } from './pacer-limits.ts';

/** What a call is expected to use, reserved before dispatch and corrected after. */
export interface Demand {
  inputTokens: number;
  /** The call's max output tokens: vendors count it against output limits until they know better. */
  outputTokens: number;
}

export type BucketName = 'requests' | 'input' | 'output' | 'tokens';

/** A lane's enforced buckets; `undefined` ones are not enforced. */
export type PacerBuckets = Partial<Record<BucketName, TokenBucket>>;

const MINUTE = 60_000;

/** The limit each bucket stands for, as admins write it in `/hive lanes limits`. */
export const LIMIT_NAME: Record<BucketName, 'rpm' | 'itpm' | 'otpm' | 'tpm'> = { requests: 'rpm', input: 'itpm', output: 'otpm', tokens: 'tpm' };

/** How much of each bucket one call of this size takes. */
export function amounts(d: Demand): Record<BucketName, number> {
  return { requests: 1, input: d.inputTokens, output: d.outputTokens, tokens: d.inputTokens + d.outputTokens };
}

export function bucketsFor(limits: VendorLimits, now: number): PacerBuckets {
  const mk = (n: number | undefined) => (n === undefined ? undefined : createTokenBucket(n, limits.periodMs ?? MINUTE, now));
  return { requests: mk(limits.rpm), input: mk(limits.itpm), output: mk(limits.otpm), tokens: mk(limits.tpm) };
}

/** The lane's enforced buckets with their names. */
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

/** Adopts what the vendor's rate-limit headers said about each window. */
export function observe(buckets: PacerBuckets, rl: RateLimitSnapshot, now: number): void {
  const apply = (b: TokenBucket | undefined, w: LimitWindow | undefined) => {
    if (b && w) b.observe(w.limit, w.remaining, w.resetMs, now);
  };
  apply(buckets.requests, rl.requests);
  apply(buckets.input, rl.inputTokens);
  apply(buckets.output, rl.outputTokens);
  apply(buckets.tokens, rl.tokens);
}

/** A slot in a vendor lane; release it exactly once with what the call really used. */
export interface PacerTicket {
  release(actual?: { inputTokens: number; outputTokens: number }, rateLimit?: RateLimitSnapshot): void;
  /** Gives the slot back unused (the call was never made). */
  cancel(): void;
}
