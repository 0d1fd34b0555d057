import { createPace, evictSlow, type Pace, type Waiter } from './pacer-admission.ts';
import { paceName, targetVendor, type PaceTarget, type PacerOptions } from './pacer-api.ts';
import { SETTLED } from './pacer-seeker.ts';
import { amounts, bucketsFor, entries, type BucketName, type Demand, type PacerTicket } from './pacer-buckets.ts';
import { paceMemory, learnFromCall, recallPace } from './pacer-memory.ts';
import type { RateLimitSnapshot } from '../shared/provider-spec.ts';
import { limitsFor } from './pacer-limits.ts';
import type { SharedStep } from './pacer-shared.ts';

/** The most calls at once Hive's own ceiling grows to on a pace no admin set. */
export const MAX_CONCURRENCY = 64;

/** What the pacer's parts share: its options, its paces by workspace and name, and the shared step. */
export interface PacerState {
  readonly o: PacerOptions;
  readonly paces: Map<string, Pace>;
  step: SharedStep | undefined;
  places: number;
}

/** The workspace's pace for `target`, made on first use (reading what an earlier process learned). */
export function paceOf(c: PacerState, ws: string, target: PaceTarget): Pace {
  const { o } = c;
  const name = paceName(target);
  const k = `${ws}|${name}`;
  let pace = c.paces.get(k);
  if (!pace) {
    const vendor = targetVendor(target);
    const limits = limitsFor(vendor, o.overrides?.(ws, vendor));
    const buckets = bucketsFor(limits, o.clock.now(), o.overrides?.(ws, vendor), o.jitterMs);
    pace = createPace(vendor, name, limits, buckets, !o.memory, o.overrides?.(ws, vendor)?.concurrency !== undefined);
    c.paces.set(k, pace);
    if (!pace.ready) recall(c, ws, pace);
  }
  return pace;
}

/** Reads what an earlier process learned about this pace; work queues meanwhile. */
function recall(c: PacerState, ws: string, pace: Pace): void {
  const { o } = c;
  const done = () => {
    pace.ready = true;
    evictSlow(pace, o.clock.now());
    pump(c, pace);
  };
  o.memory!.load(ws, pace.name).then((m) => {
    if (m) recallPace(pace.buckets, m, o.clock.now(), { freshMs: o.freshMs, set: o.overrides?.(ws, pace.vendor) });
    done();
  }, done);
}

/** Stores what the pace learned (debounced by the memory). */
export function remember(c: PacerState, ws: string, pace: Pace): void {
  if (c.o.memory && pace.ready) c.o.memory.save(ws, pace.name, paceMemory(pace.buckets, c.o.clock.now()));
}

/** How long work of this size waits here now: a pause, the shared pace, or the slowest bucket. */
function waitMs(pace: Pace, d: Demand, now: number): number {
  const need = amounts(d);
  let wait = Math.max(0, pace.pausedUntil - now, pace.sharedUntil - now);
  for (const [name, b] of entries(pace.buckets)) wait = Math.max(wait, b.waitFor(need[name], now));
  return wait;
}

/**
 * Starts what may start now and sleeps until the next may. Every call re-plans: a response's
 * headers, a retry-after or a landing can shorten (or lengthen) the wait, so a wait planned on
 * a first guess never outlives the information that corrects it.
 */
export function pump(c: PacerState, pace: Pace): void {
  pace.wake?.abort(SETTLED);
  pace.wake = undefined;
  if (!pace.ready || pace.admitting) return;
  for (;;) {
    const head = pace.queue[0];
    if (!head || pace.inFlight >= pace.limits.concurrency) return;
    const wait = waitMs(pace, head.d, c.o.clock.now());
    if (wait === Infinity) return; // a landing will pump again
    if (wait > 0) return sleepThenPump(c, pace, wait);
    if (c.step) return c.step.admitHead(pace, head); // it starts the head, or waits, and pumps again
    start(c, pace, undefined);
  }
}

function sleepThenPump(c: PacerState, pace: Pace, wait: number): void {
  const wake = new AbortController();
  pace.wake = wake;
  c.o.clock.sleep(wait, wake.signal).then(
    () => {
      if (pace.wake === wake) pump(c, pace);
    },
    () => undefined,
  );
}

/** Grants the pace's head its slot. */
export function start(c: PacerState, pace: Pace, lease: string | undefined): void {
  const head = pace.queue.shift()!;
  const need = amounts(head.d);
  const now = c.o.clock.now();
  const seqs: Partial<Record<BucketName, number>> = {};
  for (const [name, b] of entries(pace.buckets)) seqs[name] = b.hold(need[name], now);
  pace.inFlight++;
  head.grant(ticketFor(c, head.ws, pace, head.d, { lease, seqs }));
}

/** Whether the pace's head may start now by its own buckets. */
export const mayStart = (c: PacerState, pace: Pace, head: Waiter): boolean =>
  pace.inFlight < pace.limits.concurrency && waitMs(pace, head.d, c.o.clock.now()) === 0;

function ticketFor(
  c: PacerState,
  ws: string,
  pace: Pace,
  d: Demand,
  sent: { lease: string | undefined; seqs: Partial<Record<BucketName, number>> },
): PacerTicket {
  const { o } = c;
  let released = false;
  const sentAt = o.clock.now();
  // Sent while every place was taken and work waited: the ceiling may be what holds the pace back.
  const crowded = pace.inFlight >= pace.limits.concurrency && pace.queue.length > 0;
  const settle = (used: ReturnType<typeof amounts> | undefined, rateLimit?: RateLimitSnapshot, succeeded = true) => {
    if (released) return;
    released = true;
    pace.inFlight--;
    if (crowded && used && succeeded) widen(pace);
    const now = o.clock.now();
    learnFromCall(pace, amounts(d), used, { sentAt, succeeded, seqs: sent.seqs }, rateLimit, now);
    if (rateLimit) evictSlow(pace, now);
    if (used) remember(c, ws, pace);
    c.step?.settle(ws, pace, sent.lease, d, used);
    pump(c, pace);
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
 * the pace was full and work waited lets one more go, up to `MAX_CONCURRENCY` (an admin's setting
 * stays as set).
 */
function widen(pace: Pace): void {
  if (!pace.concurrencySet && pace.limits.concurrency < MAX_CONCURRENCY) pace.limits = { ...pace.limits, concurrency: pace.limits.concurrency + 1 };
}
