import { createLane, estimate, evictSlow, queueLoad, type Lane, type Waiter } from './pacer-admission.ts';
import { createAcquire } from './pacer-acquire.ts';
import { laneName, targetVendor, type LaneTarget, type Pacer, type PacerOptions } from './pacer-api.ts';
import { SETTLED } from './pacer-seeker.ts';
import { amounts, bucketsFor, entries, type BucketName, type Demand, type PacerTicket } from './pacer-buckets.ts';
import { laneMemory, learnFromCall, recallLane } from './pacer-learning.ts';
import type { RateLimitSnapshot, Vendor } from '../shared/types.ts';
import { limitsFor } from './pacer-limits.ts';
import { createSharedStep } from './pacer-shared.ts';

export type { Demand } from './pacer-buckets.ts';
export { PacerBusyError, PacerFullError, PacerTooSmallError } from './pacer-errors.ts';

export type { PacerTicket } from './pacer-buckets.ts';
export type { Grant } from './pacer-seeker.ts';
export { laneName, type AcquireOptions, type LaneTarget, type Pacer, type PacerOptions } from './pacer-api.ts';

/** The most calls at once Hive's own ceiling grows to on a lane no admin set. */
export const MAX_CONCURRENCY = 64;

export function createPacer(o: PacerOptions): Pacer {
  const lanes = new Map<string, Lane>();
  const laneOf = (ws: string, target: LaneTarget): Lane => {
    const name = laneName(target);
    const k = `${ws}|${name}`;
    let lane = lanes.get(k);
    if (!lane) {
      const vendor = targetVendor(target);
      const limits = limitsFor(vendor, o.overrides?.(ws, vendor));
      const buckets = bucketsFor(limits, o.clock.now(), o.overrides?.(ws, vendor), o.jitterMs);
      lane = createLane(vendor, name, limits, buckets, !o.memory, o.overrides?.(ws, vendor)?.concurrency !== undefined);
      lanes.set(k, lane);
      if (!lane.ready) recall(ws, lane);
    }
    return lane;
  };
  /** Every lane of a workspace's vendor that exists (its models', or the vendor's own). */
  const lanesOfVendor = (ws: string, vendor: Vendor): Lane[] =>
    [...lanes.entries()].filter(([k, l]) => l.vendor === vendor && k === `${ws}|${l.name}`).map(([, l]) => l);

  /** Reads what an earlier process learned about this lane; work queues meanwhile. */
  const recall = (ws: string, lane: Lane): void => {
    const done = () => {
      lane.ready = true;
      evictSlow(lane, o.clock.now());
      pump(lane);
    };
    o.memory!.load(ws, lane.name).then((m) => {
      if (m) recallLane(lane.buckets, m, o.clock.now(), { freshMs: o.freshMs, set: o.overrides?.(ws, lane.vendor) });
      done();
    }, done);
  };

  const remember = (ws: string, lane: Lane): void => {
    if (o.memory && lane.ready) o.memory.save(ws, lane.name, laneMemory(lane.buckets, o.clock.now()));
  };

  const waitMs = (lane: Lane, d: Demand, now: number): number => {
    const need = amounts(d);
    let wait = Math.max(0, lane.pausedUntil - now, lane.sharedUntil - now);
    for (const [name, b] of entries(lane.buckets)) wait = Math.max(wait, b.waitFor(need[name], now));
    return wait;
  };

  const ticketFor = (ws: string, lane: Lane, d: Demand, lease: string | undefined, seqs: Partial<Record<BucketName, number>>): PacerTicket => {
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
      learnFromCall(lane, amounts(d), used, { sentAt, succeeded, seqs }, rateLimit, now);
      if (rateLimit) evictSlow(lane, now);
      if (used) remember(ws, lane);
      step?.settle(ws, lane, lease, d, used);
      pump(lane);
    };
    return {
      release: (actual, rateLimit) => settle(actual ? amounts(actual) : amounts(d), rateLimit),
      // Without usage the vendor turned the request away (429, 5xx) and counted nothing we know of.
      fail: (actual) => settle(actual ? amounts(actual) : undefined, undefined, false),
      cancel: () => settle(undefined),
    };
  };

  /**
   * Hive's default ceiling on calls at once is a start, not a limit for ever: each success sent while
   * the lane was full and work waited lets one more go, up to `MAX_CONCURRENCY` (an admin's setting
   * stays as set).
   */
  const widen = (lane: Lane) => {
    if (!lane.concurrencySet && lane.limits.concurrency < MAX_CONCURRENCY) lane.limits = { ...lane.limits, concurrency: lane.limits.concurrency + 1 };
  };

  /**
   * Starts what may start now and sleeps until the next may. Every call re-plans: a response's
   * headers, a retry-after or a landing can shorten (or lengthen) the wait, so a wait planned on
   * a first guess never outlives the information that corrects it.
   */
  const pump = (lane: Lane): void => {
    lane.wake?.abort(SETTLED);
    lane.wake = undefined;
    if (!lane.ready || lane.admitting) return;
    for (;;) {
      const head = lane.queue[0];
      if (!head || lane.inFlight >= lane.limits.concurrency) return;
      const wait = waitMs(lane, head.d, o.clock.now());
      if (wait === Infinity) return; // a landing will pump again
      if (wait > 0) {
        const wake = new AbortController();
        lane.wake = wake;
        o.clock.sleep(wait, wake.signal).then(
          () => {
            if (lane.wake === wake) pump(lane);
          },
          () => undefined,
        );
        return;
      }
      if (step) return step.admitHead(lane, head); // it starts the head, or waits, and pumps again
      start(lane, undefined);
    }
  };
  /** Grants the lane's head its slot. */
  const start = (lane: Lane, lease: string | undefined): void => {
    const head = lane.queue.shift()!;
    const need = amounts(head.d);
    const now = o.clock.now();
    const seqs: Partial<Record<BucketName, number>> = {};
    for (const [name, b] of entries(lane.buckets)) seqs[name] = b.hold(need[name], now);
    lane.inFlight++;
    head.grant(ticketFor(head.ws, lane, head.d, lease, seqs));
  };
  const mayStart = (lane: Lane, head: Waiter) => lane.inFlight < lane.limits.concurrency && waitMs(lane, head.d, o.clock.now()) === 0;
  const step = o.shared ? createSharedStep({ shared: o.shared, clock: o.clock, onError: o.onSharedError, mayStart, start, pump: (l) => pump(l) }) : undefined;
  let places = 0;
  const place = () => places++;
  const acquireAny = createAcquire({ clock: o.clock, place, laneOf, pump });

  return {
    headroom(ws, vendor, d) {
      const lane = laneOf(ws, vendor);
      const now = o.clock.now();
      if (lane.pausedUntil > now || lane.sharedUntil > now) return 0;
      const need = amounts(d);
      const queued = queueLoad(lane);
      let room = (lane.limits.concurrency - lane.inFlight - queued) / lane.limits.concurrency;
      for (const [name, b] of entries(lane.buckets)) room = Math.min(room, (b.available(now) - need[name] * (queued + 1)) / b.capacity);
      return Math.max(0, Math.min(1, room));
    },
    expectedWaitMs(ws, vendor, d) {
      const lane = laneOf(ws, vendor);
      return estimate(lane, d, queueLoad(lane) + 1, o.clock.now()).wait;
    },
    waitOwner(ws, vendor, d) {
      const lane = laneOf(ws, vendor);
      return estimate(lane, d, queueLoad(lane) + 1, o.clock.now()).owner ?? 'vendor';
    },
    place,
    acquire: (ws, vendor, d, opts) => acquireAny(ws, [vendor], d, opts).then((g) => g.ticket),
    acquireAny,
    pause(ws, vendor, ms, p = {}) {
      const lane = laneOf(ws, vendor);
      const now = o.clock.now();
      lane.pausedUntil = Math.max(lane.pausedUntil, now + ms);
      const stale = p.sentAt !== undefined && p.sentAt < lane.throttledAt;
      if (stale && p.fromVendor) lane.buckets.requests?.throttle(now, ms, true);
      if (!stale && now >= lane.throttledUntil) {
        lane.buckets.requests?.throttle(now, p.fromVendor ? ms : undefined);
        lane.throttledUntil = now + ms;
        lane.throttledAt = now;
      }
      if (!stale) lane.buckets.requests?.drain(now);
      step?.pause(ws, lane, lane.pausedUntil, !stale);
      evictSlow(lane, now);
      remember(ws, lane);
      pump(lane);
    },
    reconfigure(ws, vendor) {
      for (const lane of lanesOfVendor(ws, vendor)) {
        lane.limits = limitsFor(vendor, o.overrides?.(ws, vendor));
        lane.concurrencySet = o.overrides?.(ws, vendor)?.concurrency !== undefined;
        lane.buckets = bucketsFor(lane.limits, o.clock.now(), o.overrides?.(ws, vendor), o.jitterMs);
        evictSlow(lane, o.clock.now());
        pump(lane);
      }
    },
    flush: () => o.memory?.flush() ?? Promise.resolve(),
    stats(ws, vendor) {
      const all = lanesOfVendor(ws, vendor);
      const limits = all[0]?.limits ?? limitsFor(vendor, o.overrides?.(ws, vendor));
      return { inFlight: all.reduce((n, l) => n + l.inFlight, 0), queued: all.reduce((n, l) => n + l.queue.length, 0), limits };
    },
  };
}
