import type { Clock } from '../clock.ts';
import { estimate, evictSlow, queueLoad, refusal, type Lane } from './pacer-admission.ts';
import { bestReason, createSeeker, SETTLED, type Grant, type Seeker } from './pacer-seeker.ts';
import { amounts, bucketsFor, entries, type Demand, type PacerTicket } from './pacer-buckets.ts';
import { laneMemory, learnFromCall, recallLane } from './pacer-learning.ts';
import type { LimitMemory } from './pacer-memory.ts';
import { PacerFullError } from './pacer-errors.ts';
import type { RateLimitSnapshot, Vendor } from '../types.ts';
import { limitsFor, type VendorLimits } from './pacer-limits.ts';

export type { Demand } from './pacer-buckets.ts';
export { PacerBusyError, PacerFullError, PacerTooSmallError } from './pacer-errors.ts';

export type { PacerTicket } from './pacer-buckets.ts';
export type { Grant } from './pacer-seeker.ts';

/**
 * Which lane: a vendor's, or one model's of a vendor (`{ vendor, model }`). Vendors limit each model
 * of a key on its own and their headers state the limit of the model called, so the router paces
 * per model; a bare vendor is one lane for all its models.
 */
export type LaneTarget = Vendor | { vendor: Vendor; model: string };

const targetVendor = (t: LaneTarget): Vendor => (typeof t === 'string' ? t : t.vendor);
/** The lane's name within a workspace: `openai`, or `openai|gpt-6-luna`. */
export const laneName = (t: LaneTarget): string => (typeof t === 'string' ? t : `${t.vendor}|${t.model}`);

/** How long a caller may wait for a slot. */
export interface AcquireOptions {
  signal?: AbortSignal;
  /** Set when the caller has somewhere else to go: past this wait it gets a `PacerBusyError`. */
  maxWaitMs?: number;
  /** Clock time by which the call must start, else a `PacerFullError` (the user is told when to retry). */
  deadline?: number;
  /** Told the caller's new estimated wait when the lane re-estimates it (after a 429 or learned limits). */
  onEstimate?: (waitMs: number) => void;
}

/** Per workspace × vendor traffic control: work waits for headroom instead of firing into a 429. */
export interface Pacer {
  /** 0..1: how much room the lane has for this demand now, counting queued work. */
  headroom(ws: string, target: LaneTarget, d: Demand): number;
  /** Estimated milliseconds before new work of this size would start here (for choosing a vendor). */
  expectedWaitMs(ws: string, target: LaneTarget, d: Demand): number;
  /** Waits for a slot; refuses at once (`PacerTooSmallError`) a call larger than the lane's whole limit. */
  acquire(ws: string, target: LaneTarget, d: Demand, opts?: AcquireOptions): Promise<PacerTicket>;
  /**
   * Waits in every one of these vendors' lanes at once and takes the first slot any of them
   * grants (the vendors in order of preference when several have room at the same moment).
   * Fails only when every lane refused or let go of it.
   */
  acquireAny(ws: string, targets: readonly LaneTarget[], d: Demand, opts?: AcquireOptions): Promise<Grant>;
  /**
   * A 429: stops dispatch for its `retry-after` and slows the lane's request rate. `fromVendor`
   * when the vendor said how long (the pace then learns from it), not our backoff; `sentAt` when
   * the refused call was sent: a call sent before the lane last slowed down was part of the same
   * burst, so its 429 only extends the pause.
   */
  pause(ws: string, target: LaneTarget, ms: number, o?: { fromVendor?: boolean; sentAt?: number }): void;
  /** The vendor's lanes together (all its models): calls in flight and queued, and its configured limits. */
  stats(ws: string, vendor: Vendor): { inFlight: number; queued: number; limits: VendorLimits };
  /** Re-reads the workspace's limit overrides (after an admin changed them), for every lane of the vendor. */
  reconfigure(ws: string, vendor: Vendor): void;
  /** Writes learned limits still waiting for their debounced write (at shutdown). */
  flush(): Promise<void>;
}

/** What the pacer runs on: its clock, the admins' overrides, and where learned limits are kept. */
export interface PacerOptions {
  clock: Clock;
  overrides?: (ws: string, vendor: Vendor) => Partial<VendorLimits> | undefined;
  memory?: LimitMemory;
  /** Remembered limits older than this start as a hint (half), not as the truth. */
  freshMs?: number;
}

export function createPacer(o: PacerOptions): Pacer {
  const lanes = new Map<string, Lane>();
  const laneOf = (ws: string, target: LaneTarget): Lane => {
    const name = laneName(target);
    const k = `${ws}|${name}`;
    let lane = lanes.get(k);
    if (!lane) {
      const vendor = targetVendor(target);
      const limits = limitsFor(vendor, o.overrides?.(ws, vendor));
      const buckets = bucketsFor(limits, o.clock.now(), o.overrides?.(ws, vendor));
      lane = {
        vendor,
        name,
        limits,
        buckets,
        inFlight: 0,
        queue: [],
        pausedUntil: 0,
        throttledUntil: 0,
        throttledAt: -Infinity,
        wake: undefined,
        ready: !o.memory,
      };
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
    let wait = Math.max(0, lane.pausedUntil - now);
    for (const [name, b] of entries(lane.buckets)) wait = Math.max(wait, b.waitFor(need[name], now));
    return wait;
  };

  const ticketFor = (ws: string, lane: Lane, d: Demand): PacerTicket => {
    let released = false;
    const sentAt = o.clock.now();
    const settle = (used: ReturnType<typeof amounts> | undefined, rateLimit?: RateLimitSnapshot, succeeded = true) => {
      if (released) return;
      released = true;
      lane.inFlight--;
      const now = o.clock.now();
      learnFromCall(lane, amounts(d), used, succeeded ? sentAt : undefined, rateLimit, now);
      if (rateLimit) evictSlow(lane, now);
      if (used) remember(ws, lane);
      pump(lane);
    };
    return {
      release: (actual, rateLimit) => settle(actual ? amounts(actual) : amounts(d), rateLimit),
      // Without usage the vendor turned the request away (429, 5xx) and counted nothing we know of.
      fail: (actual) => settle(actual ? amounts(actual) : undefined, undefined, false),
      cancel: () => settle(undefined),
    };
  };

  /** A job still queued at its deadline is refused then, with how much longer each lane would have made it wait. */
  const expireAt = (seeker: Seeker, d: Demand, deadline: number, signal: AbortSignal): void => {
    // One past the deadline: a start exactly at the deadline is still in time.
    o.clock.sleep(deadline - o.clock.now() + 1, signal).then(
      () => {
        for (const [lane, w] of seeker.entries()) {
          const i = lane.queue.indexOf(w);
          if (i < 0) continue;
          const now = o.clock.now();
          const { wait, binding } = estimate(lane, d, queueLoad(lane, i) + 1, now);
          lane.queue.splice(i, 1);
          w.fail(new PacerFullError(lane.vendor, Math.max(1000, wait), now, binding));
          pump(lane);
        }
      },
      () => undefined,
    );
  };

  /**
   * Starts what may start now and sleeps until the next may. Every call re-plans: a response's
   * headers, a retry-after or a landing can shorten (or lengthen) the wait, so a wait planned on
   * a first guess never outlives the information that corrects it.
   */
  const pump = (lane: Lane): void => {
    lane.wake?.abort(SETTLED);
    lane.wake = undefined;
    if (!lane.ready) return;
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
      lane.queue.shift();
      const need = amounts(head.d);
      for (const [name, b] of entries(lane.buckets)) b.hold(need[name]);
      lane.inFlight++;
      head.grant(ticketFor(head.ws, lane, head.d));
    }
  };
  const acquireAny: Pacer['acquireAny'] = (ws, targets, d, opts = {}) => {
    const now = o.clock.now();
    const limits = {
      ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
      ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
    };
    const admitted: Lane[] = [];
    const refused: Error[] = [];
    for (const lane of [...new Set(targets.map((t) => laneOf(ws, t)))]) {
      const no = refusal(lane, { d, share: 1, ...limits }, queueLoad(lane) + 1, now);
      if (no) refused.push(no);
      else admitted.push(lane);
    }
    if (admitted.length === 0) return Promise.reject(bestReason(refused));
    return new Promise<Grant>((granted, failed) => {
      // Created only for a job that has to queue past its deadline check.
      let timer: AbortController | undefined;
      const onAbort = () => seeker.abort(opts.signal?.reason);
      const cleanup = () => {
        timer?.abort(SETTLED);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const seeker = createSeeker(
        ws,
        d,
        1 / admitted.length,
        { ...limits, ...(opts.onEstimate ? { onEstimate: opts.onEstimate } : {}) },
        { repump: pump },
        { granted, failed, cleanup },
      );
      if (opts.signal?.aborted) return seeker.abort(opts.signal.reason);
      // Join every lane before any of them may grant, so each sees the whole queue.
      for (const lane of admitted) lane.queue.push(seeker.waiterFor(lane));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      for (const lane of admitted) if (!seeker.settled) pump(lane);
      if (!seeker.settled && opts.deadline !== undefined) {
        timer = new AbortController();
        expireAt(seeker, d, opts.deadline, timer.signal);
      }
    });
  };

  return {
    headroom(ws, vendor, d) {
      const lane = laneOf(ws, vendor);
      const now = o.clock.now();
      if (lane.pausedUntil > now) return 0;
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
      evictSlow(lane, now);
      remember(ws, lane);
      pump(lane);
    },
    reconfigure(ws, vendor) {
      for (const lane of lanesOfVendor(ws, vendor)) {
        lane.limits = limitsFor(vendor, o.overrides?.(ws, vendor));
        lane.buckets = bucketsFor(lane.limits, o.clock.now(), o.overrides?.(ws, vendor));
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
