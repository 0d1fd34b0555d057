import { estimate, evictSlow, queueLoad, type Pace } from './pacer-admission.ts';
import { createAcquire } from './pacer-api.ts';
import type { Pacer, PacerOptions } from './pacer-api.ts';
import { amounts, bucketsFor, entries, type Demand } from './pacer-buckets.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { limitsFor } from './pacer-limits.ts';
import { createSharedStep } from './pacer-shared.ts';
import { paceOf, mayStart, pump, remember, start, type PacerState } from './pacer-pump.ts';

export type { Demand } from './pacer-buckets.ts';
export { PacerBusyError, PacerFullError, PacerTooSmallError } from './pacer-errors.ts';

export type { PacerTicket } from './pacer-buckets.ts';
export type { Grant } from './pacer-seeker.ts';
export { paceName, type AcquireOptions, type PaceTarget, type Pacer, type PacerOptions } from './pacer-api.ts';
export { MAX_CONCURRENCY } from './pacer-pump.ts';

/** Per workspace × vendor traffic control (see `Pacer`): its paces, their pump and the shared step in one state. */
export function createPacer(o: PacerOptions): Pacer {
  const c: PacerState = { o, paces: new Map(), step: undefined, places: 0 };
  const repump = (pace: Pace) => pump(c, pace);
  if (o.shared) {
    const parts = {
      mayStart: (l: Pace, h: Parameters<typeof mayStart>[2]) => mayStart(c, l, h),
      start: (l: Pace, lease: string | undefined) => start(c, l, lease),
    };
    c.step = createSharedStep({ shared: o.shared, clock: o.clock, onError: o.onSharedError, ...parts, pump: repump });
  }
  const place = () => c.places++;
  const acquireAny = createAcquire({ clock: o.clock, place, paceOf: (ws, t) => paceOf(c, ws, t), pump: repump });
  return {
    headroom: (ws, target, d) => headroom(paceOf(c, ws, target), d, o.clock.now()),
    expectedWaitMs(ws, target, d) {
      const pace = paceOf(c, ws, target);
      return estimate(pace, d, queueLoad(pace) + 1, o.clock.now()).wait;
    },
    waitOwner(ws, target, d) {
      const pace = paceOf(c, ws, target);
      return estimate(pace, d, queueLoad(pace) + 1, o.clock.now()).owner ?? 'vendor';
    },
    place,
    acquire: (ws, target, d, opts) => acquireAny(ws, [target], d, opts).then((g) => g.ticket),
    acquireAny,
    pause: (ws, target, ms, p = {}) => pause(c, ws, paceOf(c, ws, target), { ms, ...p }),
    reconfigure(ws, vendor) {
      for (const pace of pacesOfVendor(c, ws, vendor)) {
        pace.limits = limitsFor(vendor, o.overrides?.(ws, vendor));
        pace.concurrencySet = o.overrides?.(ws, vendor)?.concurrency !== undefined;
        pace.buckets = bucketsFor(pace.limits, o.clock.now(), o.overrides?.(ws, vendor), o.jitterMs);
        evictSlow(pace, o.clock.now());
        pump(c, pace);
      }
    },
    flush: () => o.memory?.flush() ?? Promise.resolve(),
    stats(ws, vendor) {
      const all = pacesOfVendor(c, ws, vendor);
      const limits = all[0]?.limits ?? limitsFor(vendor, o.overrides?.(ws, vendor));
      return { inFlight: all.reduce((n, l) => n + l.inFlight, 0), queued: all.reduce((n, l) => n + l.queue.length, 0), limits };
    },
  };
}

/** Every pace of a workspace's vendor that exists (its models', or the vendor's own). */
function pacesOfVendor(c: PacerState, ws: string, vendor: Vendor): Pace[] {
  return [...c.paces.entries()].filter(([k, l]) => l.vendor === vendor && k === `${ws}|${l.name}`).map(([, l]) => l);
}

/** 0..1: how much room the pace has for this demand now, counting queued work. */
function headroom(pace: Pace, d: Demand, now: number): number {
  if (pace.pausedUntil > now || pace.sharedUntil > now) return 0;
  const need = amounts(d);
  const queued = queueLoad(pace);
  let room = (pace.limits.concurrency - pace.inFlight - queued) / pace.limits.concurrency;
  for (const [name, b] of entries(pace.buckets)) room = Math.min(room, (b.available(now) - need[name] * (queued + 1)) / b.capacity);
  return Math.max(0, Math.min(1, room));
}

/** A 429 (see `Pacer.pause`): the pace stops for `ms`, and slows unless the refused call was part of a burst it already slowed for. */
function pause(c: PacerState, ws: string, pace: Pace, p: { ms: number; fromVendor?: boolean; sentAt?: number }): void {
  const now = c.o.clock.now();
  pace.pausedUntil = Math.max(pace.pausedUntil, now + p.ms);
  const stale = p.sentAt !== undefined && p.sentAt < pace.throttledAt;
  if (stale && p.fromVendor) pace.buckets.requests?.throttle(now, p.ms, true);
  if (!stale && now >= pace.throttledUntil) {
    pace.buckets.requests?.throttle(now, p.fromVendor ? p.ms : undefined);
    pace.throttledUntil = now + p.ms;
    pace.throttledAt = now;
  }
  if (!stale) pace.buckets.requests?.drain(now);
  c.step?.pause(ws, pace, pace.pausedUntil, !stale);
  evictSlow(pace, now);
  remember(c, ws, pace);
  pump(c, pace);
}
