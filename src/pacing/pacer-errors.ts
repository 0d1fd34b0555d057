import { HiveError, UserError } from '../shared/errors.ts';
import type { BucketName } from './pacer-buckets.ts';
import { LIMIT_NAME } from './pacer-buckets.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';

/** Raised when a pace cannot give headroom within the caller's inline wait; the router moves on. */
export class PacerBusyError extends HiveError {
  constructor(vendor: Vendor, waitMs: number) {
    super('pace_busy', `the ${vendor} pace is busy for about ${Math.ceil(waitMs / 1000)} s`, { retryable: true, retryAfterMs: waitMs });
  }
}

/** The pace's limit that holds a call back, and its current (configured or learned) size. */
export interface Binding {
  name: BucketName;
  capacity: number;
}

/** "12 s", "3 min": how long a user is told to wait. */
export function formatWait(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.ceil(ms / 1000))} s` : `${Math.ceil(ms / 60_000)} min`;
}

/** "14:05 UTC": a wall-clock time a user can plan around. */
export function formatUtc(at: number): string {
  return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

/**
 * The pace cannot start this job before the job's deadline: refused now, with when to retry
 * and how an admin can raise the limit, rather than queued for minutes without a word.
 */
export class PacerFullError extends UserError {
  readonly vendor: Vendor;
  readonly waitMs: number;
  constructor(vendor: Vendor, waitMs: number, now: number, binding?: Binding) {
    const limit = `${binding ? LIMIT_NAME[binding.name] : 'rpm'}=…`;
    const current = binding ? ` (now ${LIMIT_NAME[binding.name]} ${Math.floor(binding.capacity)})` : '';
    super(
      `${VENDOR_INFO[vendor].label}'s rate limit for this workspace is full for about ${formatWait(waitMs)}; try again after ${formatUtc(now + waitMs)}, ` +
        `or an admin can raise the limit with \`/hive lanes limits ${vendor} ${limit}\`${current}.`,
      'lane_full',
    );
    this.name = 'PacerFullError';
    this.vendor = vendor;
    this.waitMs = waitMs;
  }
}

const UNIT: Record<BucketName, string> = {
  requests: 'request',
  input: 'input tokens',
  output: 'output tokens',
  tokens: 'tokens (input plus the longest answer)',
};

/** The job is larger than the pace's whole limit, so no wait can ever let it through. */
export class PacerTooSmallError extends UserError {
  readonly vendor: Vendor;
  constructor(vendor: Vendor, b: { name: BucketName; need: number; capacity: number }) {
    const name = LIMIT_NAME[b.name];
    super(
      `This request needs about ${Math.ceil(b.need)} ${UNIT[b.name]} at once, but ${VENDOR_INFO[vendor].label}'s limit for this workspace is ${name} ${Math.floor(b.capacity)}, so it can never run. ` +
        `An admin can raise it with \`/hive lanes limits ${vendor} ${name}=${Math.ceil(b.need)}\` or more, or shorten the question.`,
      'lane_too_small',
    );
    this.name = 'PacerTooSmallError';
    this.vendor = vendor;
  }
}
