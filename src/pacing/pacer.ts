import { estimate, evictSlow, queueLoad, type Lane } from './pacer-admission.ts';
import { createAcquire } from './pacer-acquire.ts';
import type { Pacer, PacerOptions } from './pacer-api.ts';
import { amounts, bucketsFor, entries, type Demand } from './pacer-buckets.ts';
import type { Vendor } from '../shared/types.ts';
import { limitsFor } from './pacer-limits.ts';
import { createSharedStep } from './pacer-shared.ts';
import { laneOf, mayStart, pump, remember, start, type PacerState } from './pacer-pump.ts';

export type { Demand } from './pacer-buckets.ts';
export { PacerBusyError, PacerFullError, PacerTooSmallError } from './pacer-errors.ts';

export type { PacerTicket } from './pacer-buckets.ts';
export type { Grant } from './pacer-seeker.ts';
export { laneName, type AcquireOptions, type LaneTarget, type Pacer, type PacerOptions } from './pacer-api.ts';
export { MAX_CONCURRENCY } from './pacer-pump.ts';

/** Per workspace × vendor traffic control (see `Pacer`): its lanes, their pump and the shared step in one state. */
export function createPacer(o: PacerOptions): Pacer {
  const c: PacerState = { o, lanes: new Map(), step: undefined, places: 0 };
  const repump = (lane: Lane) => pump(c, lane);
  if (o.shared) {
    const parts = {
      mayStart: (l: Lane, h: Parameters<typeof mayStart>[2]) => mayStart(c, l, h),
      start: (l: Lane, lease: string | undefined) => start(c, l, lease),
    };
    c.step = createSharedStep({ shared: o.shared, clock: o.clock, onError: o.onSharedError, ...parts, pump: repump });
  }
  const place = () => c.places++;
  const acquireAny = createAcquire({ clock: o.clock, place, laneOf: (ws, t) => laneOf(c, ws, t), pump: repump });
  return {
    headroom: (ws, target, d) => headroom(laneOf(c, ws, target), d, o.clock.now()),
    expectedWaitMs(ws, target, d) {
      const lane = laneOf(c, ws, target);
      return estimate(lane, d, queueLoad(lane) + 1, o.clock.now()).wait;
    },
    waitOwner(ws, target, d) {
      const lane = laneOf(c, ws, target);
      return estimate(lane, d, queueLoad(lane) + 1, o.clock.now()).owner ?? 'vendor';
    },
    place,
    acquire: (ws, target, d, opts) => acquireAny(ws, [target], d, opts).then((g) => g.ticket),
    acquireAny,
    pause: (ws, target, ms, p = {}) => pause(c, ws, laneOf(c, ws, target), { ms, ...p }),
    reconfigure(ws, vendor) {
      for (const lane of lanesOfVendor(c, ws, vendor)) {
        lane.limits = limitsFor(vendor, o.overrides?.(ws, vendor));
        lane.concurrencySet = o.overrides?.(ws, vendor)?.concurrency !== undefined;
        lane.buckets = bucketsFor(lane.limits, o.clock.now(), o.overrides?.(ws, vendor), o.jitterMs);
        evictSlow(lane, o.clock.now());
        pump(c, lane);
      }
    },
    flush: () => o.memory?.flush() ?? Promise.resolve(),
    stats(ws, vendor) {
      const all = lanesOfVendor(c, ws, vendor);
      const limits = all[0]?.limits ?? limitsFor(vendor, o.overrides?.(ws, vendor));
      return { inFlight: all.reduce((n, l) => n + l.inFlight, 0), queued: all.reduce((n, l) => n + l.queue.length, 0), limits };
    },
  };
}

/** Every lane of a workspace's vendor that exists (its models', or the vendor's own). */
function lanesOfVendor(c: PacerState, ws: string, vendor: Vendor): Lane[] {
  return [...c.lanes.entries()].filter(([k, l]) => l.vendor === vendor && k === `${ws}|${l.name}`).map(([, l]) => l);
}

/** 0..1: how much room the lane has for this demand now, counting queued work. */
function headroom(lane: Lane, d: Demand, now: number): number {
  if (lane.pausedUntil > now || lane.sharedUntil > now) return 0;
  const need = amounts(d);
  const queued = queueLoad(lane);
  let room = (lane.limits.concurrency - lane.inFlight - queued) / lane.limits.concurrency;
  for (const [name, b] of entries(lane.buckets)) room = Math.min(room, (b.available(now) - need[name] * (queued + 1)) / b.capacity);
  return Math.max(0, Math.min(1, room));
}

/** A 429 (see `Pacer.pause`): the lane stops for `ms`, and slows unless the refused call was part of a burst it already slowed for. */
function pause(c: PacerState, ws: string, lane: Lane, p: { ms: number; fromVendor?: boolean; sentAt?: number }): void {
  const now = c.o.clock.now();
  lane.pausedUntil = Math.max(lane.pausedUntil, now + p.ms);
  const stale = p.sentAt !== undefined && p.sentAt < lane.throttledAt;
  if (stale && p.fromVendor) lane.buckets.requests?.throttle(now, p.ms, true);
  if (!stale && now >= lane.throttledUntil) {
    lane.buckets.requests?.throttle(now, p.fromVendor ? p.ms : undefined);
    lane.throttledUntil = now + p.ms;
    lane.throttledAt = now;
  }
  if (!stale) lane.buckets.requests?.drain(now);
  c.step?.pause(ws, lane, lane.pausedUntil, !stale);
  evictSlow(lane, now);
  remember(c, ws, lane);
  pump(c, lane);
}
