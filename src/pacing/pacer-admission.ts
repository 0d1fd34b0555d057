import { amounts, entries, tooSmall, type Demand, type PacerBuckets, type PacerTicket } from './pacer-buckets.ts';
import { PacerBusyError, PacerFullError, PacerTooSmallError, type Binding } from './pacer-errors.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import type { VendorLimits } from './pacer-limits.ts';
import type { WaitOwner } from './token-bucket.ts';

/** A caller queued for a slot. */
export interface Waiter {
  /** The workspace the call is for (the pace's). */
  ws: string;
  d: Demand;
  /** How much of a job it counts for in this queue: 1/k when it waits in k paces at once. */
  share: number;
  /** Its place in line: the queue is kept in this order. */
  order: number;
  maxWaitMs?: number;
  deadline?: number;
  onEstimate?: (waitMs: number, owner?: WaitOwner) => void;
  grant: (t: PacerTicket) => void;
  fail: (e: unknown) => void;
}

/** One workspace × vendor pace's state. */
export interface Pace {
  vendor: Vendor;
  /** `openai` for the vendor's one pace, `openai|gpt-6-luna` for one model's (also its memory key). */
  name: string;
  limits: VendorLimits;
  buckets: PacerBuckets;
  inFlight: number;
  queue: Waiter[];
  pausedUntil: number;
  /** Until when a further 429 is part of the same burst (and does not slow the pace again). */
  throttledUntil: number;
  /** When the pace last slowed down for a 429: refusals of calls sent before it are old news. */
  throttledAt: number;
  /** The pending wake-up, aborted whenever new limit information re-plans the wait. */
  wake: AbortController | undefined;
  /** False while the pace's learned limits are being read from the store. */
  ready: boolean;
  /** Before this the shared pace (other processes' calls) has no room here; a landing here clears it. */
  sharedUntil: number;
  /** The shared pace is being asked for the head: nothing else starts meanwhile. */
  admitting: boolean;
  /** An admin set the pace's concurrency (else it is Hive's default). */
  concurrencySet: boolean;
}

/** A pace at rest: nothing in flight or queued, no pause; `ready` unless its learned limits must be read first. */
export function createPace(vendor: Vendor, name: string, limits: VendorLimits, buckets: PacerBuckets, ready: boolean, concurrencySet = false): Pace {
  const at = { pausedUntil: 0, throttledUntil: 0, throttledAt: -Infinity, sharedUntil: 0 };
  return { vendor, name, limits, buckets, inFlight: 0, queue: [], ...at, wake: undefined, ready, admitting: false, concurrencySet };
}

/**
 * The wait for work of this size behind `ahead - 1` others, and the limit that causes it: as
 * paced (`likely`), or at the fastest refill the vendor's headers allow (`soonest`, a lower bound).
 */
function waitOf(pace: Pace, d: Demand, ahead: number, now: number, how: 'likely' | 'soonest'): PaceWait {
  const need = amounts(d);
  let wait = Math.max(0, pace.pausedUntil - now, pace.sharedUntil - now);
  let binding: Binding | undefined;
  let owner: WaitOwner | undefined = wait > 0 ? 'vendor' : undefined; // a 429's pause, or the key's pace shared with other workers
  for (const [name, b] of entries(pace.buckets)) {
    const w = how === 'likely' ? b.deficitMs(need[name] * ahead, now) : b.soonestMs(need[name] * ahead, now);
    if (w > wait) [wait, binding, owner] = [w, { name, capacity: b.capacity }, b.owner];
  }
  if (wait === 0 && pace.inFlight >= pace.limits.concurrency) owner = pace.concurrencySet ? 'admin' : 'default';
  return { wait, ...(binding ? { binding } : {}), ...(owner ? { owner } : {}) };
}

/** A pace's wait, the limit that causes it, and whose that limit is. */
export interface PaceWait {
  wait: number;
  binding?: Binding;
  owner?: WaitOwner;
}

/** The estimated wait as the pace lets work through (for choosing a vendor and telling the user). */
export function estimate(pace: Pace, d: Demand, ahead: number, now: number): PaceWait {
  return waitOf(pace, d, ahead, now, 'likely');
}

/** Why this waiter may not (keep) waiting here, if it may not. */
export function refusal(pace: Pace, w: Omit<Waiter, 'grant' | 'fail' | 'ws' | 'order'>, ahead: number, now: number): Error | undefined {
  const small = tooSmall(pace.buckets, w.d);
  if (small) return new PacerTooSmallError(pace.vendor, small);
  if (w.deadline !== undefined) {
    const least = waitOf(pace, w.d, ahead, now, 'soonest');
    if (now + least.wait > w.deadline) return new PacerFullError(pace.vendor, least.wait, now, least.binding);
  }
  const { wait } = estimate(pace, w.d, ahead, now);
  if (w.maxWaitMs !== undefined && wait > w.maxWaitMs) return new PacerBusyError(pace.vendor, wait);
  return undefined;
}

/**
 * After a 429, learned limits or an admin's change the pace is slower than we believed: waiters
 * that would now miss their limit are released (to fail over, or to be told when to retry).
 */
export function evictSlow(pace: Pace, now: number): void {
  const kept: Waiter[] = [];
  let ahead = 0;
  const failed: [Waiter, Error][] = [];
  for (const w of pace.queue) {
    const no = refusal(pace, w, ahead + 1, now);
    if (no) failed.push([w, no]);
    else {
      kept.push(w);
      const e = estimate(pace, w.d, ahead + 1, now);
      w.onEstimate?.(e.wait, e.owner);
      ahead += w.share;
    }
  }
  pace.queue = kept;
  for (const [w, no] of failed) w.fail(no);
}

/** Queues a waiter behind every one with an earlier (or the same) place: a job that waited before is not overtaken. */
export function enqueue(pace: Pace, w: Waiter): void {
  let i = pace.queue.length;
  while (i > 0 && pace.queue[i - 1]!.order > w.order) i--;
  pace.queue.splice(i, 0, w);
}

/** How many jobs wait in the pace's queue (a job waiting in k paces counts 1/k in each), before position `end`. */
export function queueLoad(pace: Pace, end = pace.queue.length): number {
  let n = 0;
  for (let i = 0; i < end; i++) n += pace.queue[i]!.share;
  return n;
}
