import { amounts, entries, tooSmall, type Demand, type PacerBuckets, type PacerTicket } from './pacer-buckets.ts';
import { PacerBusyError, PacerFullError, PacerTooSmallError, type Binding } from './pacer-errors.ts';
import type { Vendor } from '../shared/types.ts';
import type { VendorLimits } from './pacer-limits.ts';
import type { WaitOwner } from './token-bucket.ts';

/** A caller queued for a slot. */
export interface Waiter {
  /** The workspace the call is for (the lane's). */
  ws: string;
  d: Demand;
  /** How much of a job it counts for in this queue: 1/k when it waits in k lanes at once. */
  share: number;
  /** Its place in line: the queue is kept in this order. */
  order: number;
  maxWaitMs?: number;
  deadline?: number;
  onEstimate?: (waitMs: number, owner?: WaitOwner) => void;
  grant: (t: PacerTicket) => void;
  fail: (e: unknown) => void;
}

/** One workspace × vendor lane's state. */
export interface Lane {
  vendor: Vendor;
  /** `openai` for the vendor's one lane, `openai|gpt-6-luna` for one model's (also its memory key). */
  name: string;
  limits: VendorLimits;
  buckets: PacerBuckets;
  inFlight: number;
  queue: Waiter[];
  pausedUntil: number;
  /** Until when a further 429 is part of the same burst (and does not slow the lane again). */
  throttledUntil: number;
  /** When the lane last slowed down for a 429: refusals of calls sent before it are old news. */
  throttledAt: number;
  /** The pending wake-up, aborted whenever new limit information re-plans the wait. */
  wake: AbortController | undefined;
  /** False while the lane's learned limits are being read from the store. */
  ready: boolean;
  /** Before this the shared pace (other processes' calls) has no room here; a landing here clears it. */
  sharedUntil: number;
  /** The shared pace is being asked for the head: nothing else starts meanwhile. */
  admitting: boolean;
  /** An admin set the lane's concurrency (else it is Hive's default). */
  concurrencySet: boolean;
}

/** A lane at rest: nothing in flight or queued, no pause; `ready` unless its learned limits must be read first. */
export function createLane(vendor: Vendor, name: string, limits: VendorLimits, buckets: PacerBuckets, ready: boolean, concurrencySet = false): Lane {
  const at = { pausedUntil: 0, throttledUntil: 0, throttledAt: -Infinity, sharedUntil: 0 };
  return { vendor, name, limits, buckets, inFlight: 0, queue: [], ...at, wake: undefined, ready, admitting: false, concurrencySet };
}

/**
 * The wait for work of this size behind `ahead - 1` others, and the limit that causes it: as
 * paced (`likely`), or at the fastest refill the vendor's headers allow (`soonest`, a lower bound).
 */
function waitOf(lane: Lane, d: Demand, ahead: number, now: number, how: 'likely' | 'soonest'): LaneWait {
  const need = amounts(d);
  let wait = Math.max(0, lane.pausedUntil - now, lane.sharedUntil - now);
  let binding: Binding | undefined;
  let owner: WaitOwner | undefined = wait > 0 ? 'vendor' : undefined; // a 429's pause, or the key's pace shared with other workers
  for (const [name, b] of entries(lane.buckets)) {
    const w = how === 'likely' ? b.deficitMs(need[name] * ahead, now) : b.soonestMs(need[name] * ahead, now);
    if (w > wait) [wait, binding, owner] = [w, { name, capacity: b.capacity }, b.owner];
  }
  if (wait === 0 && lane.inFlight >= lane.limits.concurrency) owner = lane.concurrencySet ? 'admin' : 'default';
  return { wait, ...(binding ? { binding } : {}), ...(owner ? { owner } : {}) };
}

/** A lane's wait, the limit that causes it, and whose that limit is. */
export interface LaneWait {
  wait: number;
  binding?: Binding;
  owner?: WaitOwner;
}

/** The estimated wait as the lane paces work (for choosing a vendor and telling the user). */
export function estimate(lane: Lane, d: Demand, ahead: number, now: number): LaneWait {
  return waitOf(lane, d, ahead, now, 'likely');
}

/** Why this waiter may not (keep) waiting here, if it may not. */
export function refusal(lane: Lane, w: Omit<Waiter, 'grant' | 'fail' | 'ws' | 'order'>, ahead: number, now: number): Error | undefined {
  const small = tooSmall(lane.buckets, w.d);
  if (small) return new PacerTooSmallError(lane.vendor, small);
  if (w.deadline !== undefined) {
    const least = waitOf(lane, w.d, ahead, now, 'soonest');
    if (now + least.wait > w.deadline) return new PacerFullError(lane.vendor, least.wait, now, least.binding);
  }
  const { wait } = estimate(lane, w.d, ahead, now);
  if (w.maxWaitMs !== undefined && wait > w.maxWaitMs) return new PacerBusyError(lane.vendor, wait);
  return undefined;
}

/**
 * After a 429, learned limits or an admin's change the lane is slower than we believed: waiters
 * that would now miss their limit are released (to fail over, or to be told when to retry).
 */
export function evictSlow(lane: Lane, now: number): void {
  const kept: Waiter[] = [];
  let ahead = 0;
  const failed: [Waiter, Error][] = [];
  for (const w of lane.queue) {
    const no = refusal(lane, w, ahead + 1, now);
    if (no) failed.push([w, no]);
    else {
      kept.push(w);
      const e = estimate(lane, w.d, ahead + 1, now);
      w.onEstimate?.(e.wait, e.owner);
      ahead += w.share;
    }
  }
  lane.queue = kept;
  for (const [w, no] of failed) w.fail(no);
}

/** Queues a waiter behind every one with an earlier (or the same) place: a job that waited before is not overtaken. */
export function enqueue(lane: Lane, w: Waiter): void {
  let i = lane.queue.length;
  while (i > 0 && lane.queue[i - 1]!.order > w.order) i--;
  lane.queue.splice(i, 0, w);
}

/** How many jobs wait in the lane's queue (a job waiting in k lanes counts 1/k in each), before position `end`. */
export function queueLoad(lane: Lane, end = lane.queue.length): number {
  let n = 0;
  for (let i = 0; i < end; i++) n += lane.queue[i]!.share;
  return n;
}
