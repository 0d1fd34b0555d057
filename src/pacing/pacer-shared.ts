import type { Clock } from '../shared/clock.ts';
import { evictSlow, type Lane, type Waiter } from './pacer-admission.ts';
import { amounts, entries, type BucketName, type Demand } from './pacer-buckets.ts';
import type { Admission, PaceAmounts, PaceKey, SharedLimits, SharedPace } from './shared-pace.ts';

/** A shared "every lease is taken" is asked again this often: a lease settled by another process frees its place without telling us. */
export const SHARED_POLL_MS = 100;

/** A settle that failed is sent again after these pauses (doubling), up to `SETTLE_TRIES` sends: about three minutes. */
const FIRST_SETTLE_PAUSE_MS = 250;
const MAX_SETTLE_PAUSE_MS = 5_000;
const SETTLE_TRIES = 40;

/** What the shared step needs from the pacer: to start the lane's head, to know it still may, and to pump again. */
export interface SharedStepDeps {
  shared: SharedPace;
  clock: Clock;
  /** Told when the shared pace cannot be reached; the lane then paces on its own (see `admitHead`). */
  onError?: ((e: unknown) => void) | undefined;
  /** Whether the lane's head may still start by the local pace (a pause or a landing may have come meanwhile). */
  mayStart: (lane: Lane, head: Waiter) => boolean;
  /** Takes the head off the queue and grants it, with its shared lease. */
  start: (lane: Lane, lease: string | undefined) => void;
  pump: (lane: Lane) => void;
}

/** The pacer's part in the shared pace: a locally granted slot is only handed out once the shared pace admits it too. */
export interface SharedStep {
  /** Asks the shared pace for the lane's head; the lane admits nothing else meanwhile, so its order holds. */
  admitHead(lane: Lane, head: Waiter): void;
  /** A ticket is over: frees its lease and corrects its reservation by what it used (`undefined`: nothing). */
  settle(ws: string, lane: Lane, lease: string | undefined, d: Demand, used: Record<BucketName, number> | undefined): void;
  pause(ws: string, lane: Lane, untilMs: number, drainRequests: boolean): void;
}

/**
 * The lane's limits as the shared pace takes them: each bucket's limit (configured, or learned from
 * headers) refilled over its window, a ceiling for all processes together. Each process's adaptive
 * pace (slow start, halving after a 429) stays its own, below that ceiling.
 */
export function sharedLimits(lane: Lane): SharedLimits {
  const buckets: SharedLimits['buckets'] = {};
  const periodMs = lane.limits.periodMs ?? 60_000;
  for (const [name, b] of entries(lane.buckets)) {
    // Headers may prove a window shorter than a minute (a vendor refilling faster): then its learned pace.
    buckets[name] = { capacity: b.capacity, ratePerMs: Math.max(b.capacity / periodMs, b.remember().ratePerMs) };
  }
  return { concurrency: lane.limits.concurrency, buckets };
}

/** What the call reserves in each of the lane's buckets. */
function needOf(lane: Lane, d: Demand): PaceAmounts {
  const all = amounts(d);
  const out: PaceAmounts = {};
  for (const [name] of entries(lane.buckets)) out[name] = all[name];
  return out;
}

export function createSharedStep(o: SharedStepDeps): SharedStep {
  const key = (ws: string, lane: Lane): PaceKey => ({ ws, lane: lane.name });
  const report = (e: unknown) => o.onError?.(e);
  /** Landings per lane: a refusal asked before the latest one may be stale (its refund came after), so the lane asks again. */
  const landings = new WeakMap<Lane, number>();
  const correct = (ws: string, lane: Lane, lease: string, d: Demand, used: Record<BucketName, number> | undefined) => {
    const need = needOf(lane, d);
    const correction: PaceAmounts = {};
    for (const name of Object.keys(need) as BucketName[]) correction[name] = (used?.[name] ?? 0) - need[name]!;
    void settleUntilTaken(o, key(ws, lane), lease, correction, sharedLimits(lane));
  };
  /**
   * Admitted: the head starts, unless it left the queue or the local pace turned meanwhile (then
   * the lease goes back unused). Told to wait: the lane waits that long (a shared pause pauses it;
   * every "all leases taken" is re-asked within `SHARED_POLL_MS`; a bucket's refill until a landing
   * here may have refunded it), and waiters that cannot wait so long are let go.
   */
  const landed = (lane: Lane, head: Waiter, asked: number, a: Admission | { ok: true; lease: undefined }, seen: number) => {
    lane.admitting = false;
    if (!a.ok) waitShared(lane, a, asked, seen);
    else if (lane.queue[0] === head && o.mayStart(lane, head)) o.start(lane, a.lease);
    else if (a.lease !== undefined) correct(head.ws, lane, a.lease, head.d, undefined);
    o.pump(lane);
  };
  const waitShared = (lane: Lane, a: Extract<Admission, { ok: false }>, asked: number, seen: number) => {
    if (a.why === 'paused') lane.pausedUntil = Math.max(lane.pausedUntil, asked + a.waitMs);
    else if (seen !== (landings.get(lane) ?? 0))
      return; // stale: asked before a landing here; ask again
    else lane.sharedUntil = Math.max(lane.sharedUntil, asked + (a.why === 'concurrency' ? Math.min(a.waitMs, SHARED_POLL_MS) : a.waitMs));
    if (a.why !== 'concurrency') evictSlow(lane, o.clock.now()); // a poll tells the waiters nothing new
  };
  return {
    admitHead(lane, head) {
      lane.admitting = true;
      const asked = o.clock.now();
      const seen = landings.get(lane) ?? 0;
      // Unreachable (Redis down): fail open to the local pace, which still bounds this process.
      const unreachable = (e: unknown) => (report(e), { ok: true as const, lease: undefined });
      void o.shared
        .admit(key(head.ws, lane), needOf(lane, head.d), sharedLimits(lane), asked)
        .catch(unreachable)
        .then((a) => landed(lane, head, asked, a, seen));
    },
    settle(ws, lane, lease, d, used) {
      lane.sharedUntil = 0; // a landing may have refunded what the shared pace said to wait for: ask again
      landings.set(lane, (landings.get(lane) ?? 0) + 1);
      if (lease !== undefined) correct(ws, lane, lease, d, used);
    },
    pause(ws, lane, untilMs, drainRequests) {
      o.shared.pause(key(ws, lane), { untilMs, drainRequests }, o.clock.now()).catch(report);
    },
  };
}

/**
 * A settle the shared pace did not take (Redis away) is sent again until it is: a lease left
 * behind would hold its place for every process until it expires, minutes later.
 */
async function settleUntilTaken(o: SharedStepDeps, k: PaceKey, lease: string, correction: PaceAmounts, limits: SharedLimits): Promise<void> {
  let pause = FIRST_SETTLE_PAUSE_MS;
  for (let tries = 1; ; tries++) {
    try {
      return await o.shared.settle(k, lease, correction, limits, o.clock.now());
    } catch (e) {
      if (tries === 1) o.onError?.(e);
      if (tries >= SETTLE_TRIES) return;
      await o.clock.sleep(pause);
      pause = Math.min(MAX_SETTLE_PAUSE_MS, pause * 2);
    }
  }
}
