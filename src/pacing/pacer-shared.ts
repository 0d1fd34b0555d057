import type { Clock } from '../shared/clock.ts';
import { evictSlow, type Pace, type Waiter } from './pacer-admission.ts';
import { amounts, entries, type BucketName, type Demand } from './pacer-buckets.ts';
import type { Admission, PaceAmounts, PaceKey, SharedLimits, SharedPace } from './shared-pace.ts';

/** A shared "every lease is taken" is asked again this often: a lease settled by another process frees its place without telling us. */
export const SHARED_POLL_MS = 100;

/** A settle that failed is sent again after these pauses (doubling), up to `SETTLE_TRIES` sends: about three minutes. */
const FIRST_SETTLE_PAUSE_MS = 250;
const MAX_SETTLE_PAUSE_MS = 5_000;
const SETTLE_TRIES = 40;

/** What the shared step needs from the pacer: to start the pace's head, to know it still may, and to pump again. */
export interface SharedStepDeps {
  shared: SharedPace;
  clock: Clock;
  /** Told when the shared pace cannot be reached; the pace then runs on its own (see `admitHead`). */
  onError?: ((e: unknown) => void) | undefined;
  /** Whether the pace's head may still start by its own buckets (a pause or a landing may have come meanwhile). */
  mayStart: (pace: Pace, head: Waiter) => boolean;
  /** Takes the head off the queue and grants it, with its shared lease. */
  start: (pace: Pace, lease: string | undefined) => void;
  pump: (pace: Pace) => void;
}

/** The pacer's part in the shared pace: a locally granted slot is only handed out once the shared pace admits it too. */
export interface SharedStep {
  /** Asks the shared pace for the pace's head; the pace admits nothing else meanwhile, so its order holds. */
  admitHead(pace: Pace, head: Waiter): void;
  /** A ticket is over: frees its lease and corrects its reservation by what it used (`undefined`: nothing). */
  settle(ws: string, pace: Pace, lease: string | undefined, d: Demand, used: Record<BucketName, number> | undefined): void;
  pause(ws: string, pace: Pace, untilMs: number, drainRequests: boolean): void;
}

/**
 * The pace's limits as the shared pace takes them: each bucket's limit (configured, or learned from
 * headers) refilled over its window, a ceiling for all processes together. Each process's adaptive
 * pace (slow start, halving after a 429) stays its own, below that ceiling.
 */
export function sharedLimits(pace: Pace): SharedLimits {
  const buckets: SharedLimits['buckets'] = {};
  const periodMs = pace.limits.periodMs ?? 60_000;
  for (const [name, b] of entries(pace.buckets)) {
    // Headers may prove a window shorter than a minute (a vendor refilling faster): then its learned pace.
    buckets[name] = { capacity: b.capacity, ratePerMs: Math.max(b.capacity / periodMs, b.remember().ratePerMs) };
  }
  return { concurrency: pace.limits.concurrency, buckets };
}

/** What the call reserves in each of the pace's buckets. */
function needOf(pace: Pace, d: Demand): PaceAmounts {
  const all = amounts(d);
  const out: PaceAmounts = {};
  for (const [name] of entries(pace.buckets)) out[name] = all[name];
  return out;
}

export function createSharedStep(o: SharedStepDeps): SharedStep {
  const key = (ws: string, pace: Pace): PaceKey => ({ ws, pace: pace.name });
  const report = (e: unknown) => o.onError?.(e);
  /** Landings per pace: a refusal asked before the latest one may be stale (its refund came after), so the pace asks again. */
  const landings = new WeakMap<Pace, number>();
  const correct = (ws: string, pace: Pace, lease: string, d: Demand, used: Record<BucketName, number> | undefined) => {
    const need = needOf(pace, d);
    const correction: PaceAmounts = {};
    for (const name of Object.keys(need) as BucketName[]) correction[name] = (used?.[name] ?? 0) - need[name]!;
    void settleUntilTaken(o, key(ws, pace), lease, correction, sharedLimits(pace));
  };
  /**
   * Admitted: the head starts, unless it left the queue or the local pace turned meanwhile (then
   * the lease goes back unused). Told to wait: the pace waits that long (a shared pause pauses it;
   * every "all leases taken" is re-asked within `SHARED_POLL_MS`; a bucket's refill until a landing
   * here may have refunded it), and waiters that cannot wait so long are let go.
   */
  const landed = (pace: Pace, head: Waiter, asked: number, a: Admission | { ok: true; lease: undefined }, seen: number) => {
    pace.admitting = false;
    if (!a.ok) waitShared(pace, a, asked, seen);
    else if (pace.queue[0] === head && o.mayStart(pace, head)) o.start(pace, a.lease);
    else if (a.lease !== undefined) correct(head.ws, pace, a.lease, head.d, undefined);
    o.pump(pace);
  };
  const waitShared = (pace: Pace, a: Extract<Admission, { ok: false }>, asked: number, seen: number) => {
    if (a.why === 'paused') pace.pausedUntil = Math.max(pace.pausedUntil, asked + a.waitMs);
    else if (seen !== (landings.get(pace) ?? 0))
      return; // stale: asked before a landing here; ask again
    else pace.sharedUntil = Math.max(pace.sharedUntil, asked + (a.why === 'concurrency' ? Math.min(a.waitMs, SHARED_POLL_MS) : a.waitMs));
    if (a.why !== 'concurrency') evictSlow(pace, o.clock.now()); // a poll tells the waiters nothing new
  };
  return {
    admitHead(pace, head) {
      pace.admitting = true;
      const asked = o.clock.now();
      const seen = landings.get(pace) ?? 0;
      // Unreachable (Redis down): fail open to the local pace, which still bounds this process.
      const unreachable = (e: unknown) => (report(e), { ok: true as const, lease: undefined });
      void o.shared
        .admit(key(head.ws, pace), needOf(pace, head.d), sharedLimits(pace), asked)
        .catch(unreachable)
        .then((a) => landed(pace, head, asked, a, seen));
    },
    settle(ws, pace, lease, d, used) {
      pace.sharedUntil = 0; // a landing may have refunded what the shared pace said to wait for: ask again
      landings.set(pace, (landings.get(pace) ?? 0) + 1);
      if (lease !== undefined) correct(ws, pace, lease, d, used);
    },
    pause(ws, pace, untilMs, drainRequests) {
      o.shared.pause(key(ws, pace), { untilMs, drainRequests }, o.clock.now()).catch(report);
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
