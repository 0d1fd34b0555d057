import { createLane, evictSlow, type Lane, type Waiter } from './pacer-admission.ts';
import { laneName, targetVendor, type LaneTarget, type PacerOptions } from './pacer-api.ts';
import { SETTLED } from './pacer-seeker.ts';
import { amounts, bucketsFor, entries, type BucketName, type Demand, type PacerTicket } from './pacer-buckets.ts';
import { laneMemory, learnFromCall, recallLane } from './pacer-learning.ts';
import type { RateLimitSnapshot } from '../shared/types.ts';
import { limitsFor } from './pacer-limits.ts';
import type { SharedStep } from './pacer-shared.ts';

/** The most calls at once Hive's own ceiling grows to on a lane no admin set. */
export const MAX_CONCURRENCY = 64;

/** What the pacer's parts share: its options, its lanes by workspace and name, and the shared step. */
export interface PacerState {
  readonly o: PacerOptions;
  readonly lanes: Map<string, Lane>;
  step: SharedStep | undefined;
  places: number;
}

/** The workspace's lane for `target`, made on first use (reading what an earlier process learned). */
export function laneOf(c: PacerState, ws: string, target: LaneTarget): Lane {
  const { o } = c;
  const name = laneName(target);
  const k = `${ws}|${name}`;
  let lane = c.lanes.get(k);
  if (!lane) {
    const vendor = targetVendor(target);
    const limits = limitsFor(vendor, o.overrides?.(ws, vendor));
    const buckets = bucketsFor(limits, o.clock.now(), o.overrides?.(ws, vendor), o.jitterMs);
    lane = createLane(vendor, name, limits, buckets, !o.memory, o.overrides?.(ws, vendor)?.concurrency !== undefined);
    c.lanes.set(k, lane);
    if (!lane.ready) recall(c, ws, lane);
  }
  return lane;
}

/** Reads what an earlier process learned about this lane; work queues meanwhile. */
function recall(c: PacerState, ws: string, lane: Lane): void {
  const { o } = c;
  const done = () => {
    lane.ready = true;
    evictSlow(lane, o.clock.now());
    pump(c, lane);
  };
  o.memory!.load(ws, lane.name).then((m) => {
    if (m) recallLane(lane.buckets, m, o.clock.now(), { freshMs: o.freshMs, set: o.overrides?.(ws, lane.vendor) });
    done();
  }, done);
}

/** Stores what the lane learned (debounced by the memory). */
export function remember(c: PacerState, ws: string, lane: Lane): void {
  if (c.o.memory && lane.ready) c.o.memory.save(ws, lane.name, laneMemory(lane.buckets, c.o.clock.now()));
}

/** How long work of this size waits here now: a pause, the shared pace, or the slowest bucket. */
function waitMs(lane: Lane, d: Demand, now: number): number {
  const need = amounts(d);
  let wait = Math.max(0, lane.pausedUntil - now, lane.sharedUntil - now);
  for (const [name, b] of entries(lane.buckets)) wait = Math.max(wait, b.waitFor(need[name], now));
  return wait;
}

/**
 * Starts what may start now and sleeps until the next may. Every call re-plans: a response's
 * headers, a retry-after or a landing can shorten (or lengthen) the wait, so a wait planned on
 * a first guess never outlives the information that corrects it.
 */
export function pump(c: PacerState, lane: Lane): void {
  lane.wake?.abort(SETTLED);
  lane.wake = undefined;
  if (!lane.ready || lane.admitting) return;
  for (;;) {
    const head = lane.queue[0];
    if (!head || lane.inFlight >= lane.limits.concurrency) return;
    const wait = waitMs(lane, head.d, c.o.clock.now());
    if (wait === Infinity) return; // a landing will pump again
    if (wait > 0) return sleepThenPump(c, lane, wait);
    if (c.step) return c.step.admitHead(lane, head); // it starts the head, or waits, and pumps again
    start(c, lane, undefined);
  }
}

function sleepThenPump(c: PacerState, lane: Lane, wait: number): void {
  const wake = new AbortController();
  lane.wake = wake;
  c.o.clock.sleep(wait, wake.signal).then(
    () => {
      if (lane.wake === wake) pump(c, lane);
    },
    () => undefined,
  );
}

/** Grants the lane's head its slot. */
export function start(c: PacerState, lane: Lane, lease: string | undefined): void {
  const head = lane.queue.shift()!;
  const need = amounts(head.d);
  const now = c.o.clock.now();
  const seqs: Partial<Record<BucketName, number>> = {};
  for (const [name, b] of entries(lane.buckets)) seqs[name] = b.hold(need[name], now);
  lane.inFlight++;
  head.grant(ticketFor(c, head.ws, lane, head.d, { lease, seqs }));
}

/** Whether the lane's head may start now by the local pace. */
export const mayStart = (c: PacerState, lane: Lane, head: Waiter): boolean =>
  lane.inFlight < lane.limits.concurrency && waitMs(lane, head.d, c.o.clock.now()) === 0;

function ticketFor(
  c: PacerState,
  ws: string,
  lane: Lane,
  d: Demand,
  sent: { lease: string | undefined; seqs: Partial<Record<BucketName, number>> },
): PacerTicket {
  const { o } = c;
  let released = false;
  const sentAt = o.clock.now();
  // Sent while every place was taken and work waited: the ceiling may be what holds the lane back.
  const crowded = lane.inFlight >= lane.limits.concurrency && lane.queue.length > 0;
  const settle = (used: ReturnType<typeof amounts> | undefined, rateLimit?: RateLimitSnapshot, succeeded = true) => {
    if (released) return;
    released = true;
    lane.inFlight--;
    if (crowded && used && succeeded) widen(lane);
    const now = o.clock.now();
    learnFromCall(lane, amounts(d), used, { sentAt, succeeded, seqs: sent.seqs }, rateLimit, now);
    if (rateLimit) evictSlow(lane, now);
    if (used) remember(c, ws, lane);
    c.step?.settle(ws, lane, sent.lease, d, used);
    pump(c, lane);
  };
  return {
    release: (actual, rateLimit) => settle(actual ? amounts(actual) : amounts(d), rateLimit),
    // Without usage the vendor turned the request away (429, 5xx) and counted nothing we know of.
    fail: (actual) => settle(actual ? amounts(actual) : undefined, undefined, false),
    cancel: () => settle(undefined),
  };
}

/**
 * Hive's default ceiling on calls at once is a start, not a limit for ever: each success sent while
 * the lane was full and work waited lets one more go, up to `MAX_CONCURRENCY` (an admin's setting
 * stays as set).
 */
function widen(lane: Lane): void {
  if (!lane.concurrencySet && lane.limits.concurrency < MAX_CONCURRENCY) lane.limits = { ...lane.limits, concurrency: lane.limits.concurrency + 1 };
}
