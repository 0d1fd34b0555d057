import type { Clock } from './clock.ts';
import { HiveError } from './errors.ts';
import { createTokenBucket, type TokenBucket } from './token-bucket.ts';
import type { LimitWindow, RateLimitSnapshot, Vendor } from './types.ts';
import { limitsFor, type VendorLimits } from './vendor-limits.ts';

/** What a call is expected to use, reserved before dispatch and corrected after. */
export interface Demand {
  inputTokens: number;
  /** The call's max output tokens: vendors count it against output limits until they know better. */
  outputTokens: number;
}

/** A slot in a vendor lane; release it exactly once with what the call really used. */
export interface LaneTicket {
  release(actual?: { inputTokens: number; outputTokens: number }, rateLimit?: RateLimitSnapshot): void;
  /** Gives the slot back unused (the call was never made). */
  cancel(): void;
}

/** Per workspace × vendor traffic control: work waits for headroom instead of firing into a 429. */
export interface VendorLanes {
  /** 0..1: how much room the lane has for this demand now, counting queued work. */
  headroom(ws: string, vendor: Vendor, d: Demand): number;
  /** Estimated milliseconds before new work of this size would start here (for choosing a vendor). */
  expectedWaitMs(ws: string, vendor: Vendor, d: Demand): number;
  acquire(ws: string, vendor: Vendor, d: Demand, opts?: { signal?: AbortSignal; maxWaitMs?: number }): Promise<LaneTicket>;
  /** Stops dispatch for a while (a `retry-after`). */
  pause(ws: string, vendor: Vendor, ms: number): void;
  stats(ws: string, vendor: Vendor): { inFlight: number; queued: number; limits: VendorLimits };
  /** Re-reads the workspace's limit overrides (after an admin changed them). */
  reconfigure(ws: string, vendor: Vendor): void;
}

const MINUTE = 60_000;

type BucketName = 'requests' | 'input' | 'output' | 'tokens';

interface Waiter {
  d: Demand;
  /** Set when the caller has somewhere else to go: past this wait it is told the lane is busy. */
  maxWaitMs?: number;
  grant: (t: LaneTicket) => void;
  fail: (e: unknown) => void;
}

interface Lane {
  limits: VendorLimits;
  buckets: Partial<Record<BucketName, TokenBucket>>;
  inFlight: number;
  queue: Waiter[];
  pausedUntil: number;
  pumping: boolean;
}

/** Raised when a lane cannot give headroom within the caller's wait limit; the router moves on. */
export class LaneBusyError extends HiveError {
  constructor(vendor: Vendor, waitMs: number) {
    super('lane_busy', `${vendor} lane busy for about ${Math.ceil(waitMs / 1000)} s`, { retryable: true, retryAfterMs: waitMs });
  }
}

function amounts(d: Demand): Record<BucketName, number> {
  return { requests: 1, input: d.inputTokens, output: d.outputTokens, tokens: d.inputTokens + d.outputTokens };
}

export function createVendorLanes(o: { clock: Clock; overrides?: (ws: string, vendor: Vendor) => Partial<VendorLimits> | undefined }): VendorLanes {
  const lanes = new Map<string, Lane>();
  const laneOf = (ws: string, vendor: Vendor): Lane => {
    const k = `${ws}|${vendor}`;
    let lane = lanes.get(k);
    if (!lane) {
      const limits = limitsFor(vendor, o.overrides?.(ws, vendor));
      lane = { limits, buckets: bucketsFor(limits, o.clock.now()), inFlight: 0, queue: [], pausedUntil: 0, pumping: false };
      lanes.set(k, lane);
    }
    return lane;
  };

  const waitMs = (lane: Lane, d: Demand, now: number): number => {
    const need = amounts(d);
    let wait = Math.max(0, lane.pausedUntil - now);
    for (const [name, b] of entries(lane)) wait = Math.max(wait, b.waitFor(need[name], now));
    return wait;
  };

  const ticketFor = (lane: Lane, d: Demand): LaneTicket => {
    let released = false;
    return {
      release(actual, rateLimit) {
        if (released) return;
        released = true;
        lane.inFlight--;
        const now = o.clock.now();
        const held = amounts(d);
        const used = actual ? amounts({ inputTokens: actual.inputTokens, outputTokens: actual.outputTokens }) : held;
        for (const [name, b] of entries(lane)) b.land(held[name], used[name], now);
        if (rateLimit) observe(lane, rateLimit, now);
        pump(lane);
      },
      cancel() {
        if (released) return;
        released = true;
        lane.inFlight--;
        const held = amounts(d);
        for (const [name, b] of entries(lane)) b.land(held[name], 0, o.clock.now());
        pump(lane);
      },
    };
  };

  const pump = (lane: Lane): void => {
    if (lane.pumping) return;
    for (;;) {
      const head = lane.queue[0];
      if (!head || lane.inFlight >= lane.limits.concurrency) return;
      const wait = waitMs(lane, head.d, o.clock.now());
      if (wait === Infinity) return; // a landing will pump again
      if (wait > 0) {
        lane.pumping = true;
        void o.clock.sleep(wait).then(() => {
          lane.pumping = false;
          pump(lane);
        });
        return;
      }
      lane.queue.shift();
      const need = amounts(head.d);
      for (const [name, b] of entries(lane)) b.hold(need[name]);
      lane.inFlight++;
      head.grant(ticketFor(lane, head.d));
    }
  };

  return {
    headroom(ws, vendor, d) {
      const lane = laneOf(ws, vendor);
      const now = o.clock.now();
      if (lane.pausedUntil > now) return 0;
      const need = amounts(d);
      const queued = lane.queue.length;
      let room = (lane.limits.concurrency - lane.inFlight - queued) / lane.limits.concurrency;
      for (const [name, b] of entries(lane)) room = Math.min(room, (b.available(now) - need[name] * (queued + 1)) / b.capacity);
      return Math.max(0, Math.min(1, room));
    },
    expectedWaitMs(ws, vendor, d) {
      const lane = laneOf(ws, vendor);
      const now = o.clock.now();
      const need = amounts(d);
      const ahead = lane.queue.length + 1;
      let wait = Math.max(0, lane.pausedUntil - now);
      for (const [name, b] of entries(lane)) wait = Math.max(wait, b.deficitMs(need[name] * ahead, now));
      return wait;
    },
    acquire(ws, vendor, d, opts = {}) {
      const lane = laneOf(ws, vendor);
      if (opts.maxWaitMs !== undefined) {
        const wait = this.expectedWaitMs(ws, vendor, d);
        if (wait > opts.maxWaitMs) return Promise.reject(new LaneBusyError(vendor, wait));
      }
      return new Promise<LaneTicket>((grant, fail) => {
        const w: Waiter = { d, grant, fail, ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}) };
        lane.queue.push(w);
        opts.signal?.addEventListener('abort', () => {
          const i = lane.queue.indexOf(w);
          if (i >= 0) lane.queue.splice(i, 1);
          fail(opts.signal?.reason);
        }, { once: true });
        pump(lane);
      });
    },
    pause(ws, vendor, ms) {
      const lane = laneOf(ws, vendor);
      lane.pausedUntil = Math.max(lane.pausedUntil, o.clock.now() + ms);
      lane.buckets.requests?.drain(o.clock.now());
      evictSlow(lane, vendor, o.clock.now());
    },
    reconfigure(ws, vendor) {
      const lane = lanes.get(`${ws}|${vendor}`);
      if (!lane) return;
      lane.limits = limitsFor(vendor, o.overrides?.(ws, vendor));
      lane.buckets = bucketsFor(lane.limits, o.clock.now());
      pump(lane);
    },
    stats(ws, vendor) {
      const lane = laneOf(ws, vendor);
      return { inFlight: lane.inFlight, queued: lane.queue.length, limits: lane.limits };
    },
  };
}

function bucketsFor(limits: VendorLimits, now: number): Lane['buckets'] {
  const mk = (n: number | undefined) => (n === undefined ? undefined : createTokenBucket(n, limits.periodMs ?? MINUTE, now));
  return { requests: mk(limits.rpm), input: mk(limits.itpm), output: mk(limits.otpm), tokens: mk(limits.tpm) };
}

/**
 * After a 429 the lane is slower than we believed: waiters that can go elsewhere and would now
 * wait past their limit are released to fail over instead of queueing behind the pause.
 */
function evictSlow(lane: Lane, vendor: Vendor, now: number): void {
  const kept: Waiter[] = [];
  lane.queue.forEach((w) => {
    const need = amounts(w.d);
    let wait = Math.max(0, lane.pausedUntil - now);
    for (const [name, b] of entries(lane)) wait = Math.max(wait, b.deficitMs(need[name] * (kept.length + 1), now));
    if (w.maxWaitMs !== undefined && wait > w.maxWaitMs) w.fail(new LaneBusyError(vendor, wait));
    else kept.push(w);
  });
  lane.queue = kept;
}

/** The lane's enforced buckets with their names. */
function entries(lane: Lane): [BucketName, TokenBucket][] {
  return (Object.entries(lane.buckets) as [BucketName, TokenBucket | undefined][]).filter((e): e is [BucketName, TokenBucket] => e[1] !== undefined);
}

function observe(lane: Lane, rl: RateLimitSnapshot, now: number): void {
  const apply = (b: TokenBucket | undefined, w: LimitWindow | undefined) => {
    if (b && w) b.observe(w.limit, w.remaining, w.resetMs, now);
  };
  apply(lane.buckets.requests, rl.requests);
  apply(lane.buckets.input, rl.inputTokens);
  apply(lane.buckets.output, rl.outputTokens);
  apply(lane.buckets.tokens, rl.tokens);
}
