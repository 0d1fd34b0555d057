import type { Clock } from '../shared/clock.ts';
import type { Demand, PacerTicket } from './pacer-buckets.ts';
import type { LimitMemory } from './pacer-memory.ts';
import { type Grant, bestReason, createSeeker, SETTLED, type Seeker } from './pacer-seeker.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import type { VendorLimits } from './pacer-limits.ts';
import type { WaitOwner } from './token-bucket.ts';
import type { SharedPace } from './shared-pace.ts';
import { enqueue, estimate, queueLoad, refusal, type Pace } from './pacer-admission.ts';
import { PacerFullError } from './pacer-errors.ts';

/**
 * Which pace: a vendor's, or one model's of a vendor (`{ vendor, model }`). Vendors limit each model
 * of a key on its own and their headers state the limit of the model called, so the router paces
 * per model; a bare vendor is one pace for all its models.
 */
export type PaceTarget = Vendor | { vendor: Vendor; model: string };

export const targetVendor = (t: PaceTarget): Vendor => (typeof t === 'string' ? t : t.vendor);
/** The pace's name within a workspace: `openai`, or `openai|gpt-6-luna`. */
export const paceName = (t: PaceTarget): string => (typeof t === 'string' ? t : `${t.vendor}|${t.model}`);

/** How long a caller may wait for a slot. */
export interface AcquireOptions {
  signal?: AbortSignal;
  /** Set when the caller has somewhere else to go: past this wait it gets a `PacerBusyError`. */
  maxWaitMs?: number;
  /** Clock time by which the call must start, else a `PacerFullError` (the user is told when to retry). */
  deadline?: number;
  /** Told the caller's new estimated wait when the pace re-estimates it (after a 429 or learned limits). */
  onEstimate?: (waitMs: number, owner?: WaitOwner) => void;
  /**
   * The job's place in line (from `place()`): a job asking again (a 429 sent it back) keeps its
   * place ahead of jobs that came after it. Without it, the caller queues last.
   */
  order?: number;
}

/** Per workspace × vendor traffic control: work waits for headroom instead of firing into a 429. */
export interface Pacer {
  /** 0..1: how much room the pace has for this demand now, counting queued work. */
  headroom(ws: string, target: PaceTarget, d: Demand): number;
  /** Estimated milliseconds before new work of this size would start here (for choosing a vendor). */
  expectedWaitMs(ws: string, target: PaceTarget, d: Demand): number;
  /** Whose limit such a wait would be (for telling the user whom they wait for). */
  waitOwner(ws: string, target: PaceTarget, d: Demand): WaitOwner;
  /** A place in line for a job that may ask more than once: paces start their waiters in this order. */
  place(): number;
  /** Waits for a slot; refuses at once (`PacerTooSmallError`) a call larger than the pace's whole limit. */
  acquire(ws: string, target: PaceTarget, d: Demand, opts?: AcquireOptions): Promise<PacerTicket>;
  /**
   * Waits in every one of these vendors' paces at once and takes the first slot any of them
   * grants (the vendors in order of preference when several have room at the same moment).
   * Fails only when every pace refused or let go of it.
   */
  acquireAny(ws: string, targets: readonly PaceTarget[], d: Demand, opts?: AcquireOptions): Promise<Grant>;
  /**
   * A 429: stops dispatch for its `retry-after` and slows the pace's request rate. `fromVendor`
   * when the vendor said how long (the pace then learns from it), not our backoff; `sentAt` when
   * the refused call was sent: a call sent before the pace last slowed down was part of the same
   * burst, so its 429 only extends the pause.
   */
  pause(ws: string, target: PaceTarget, ms: number, o?: { fromVendor?: boolean; sentAt?: number }): void;
  /** The vendor's paces together (all its models): calls in flight and queued, and its configured limits. */
  stats(ws: string, vendor: Vendor): { inFlight: number; queued: number; limits: VendorLimits };
  /** Re-reads the workspace's limit overrides (after an admin changed them), for every pace of the vendor. */
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
  /** Pacing shared with other processes (scale-out): a slot is granted only when the shared pace admits it too. */
  shared?: SharedPace;
  /** Told when the shared pace cannot be reached (each pace then runs by this process alone). */
  onSharedError?: (e: unknown) => void;
  /** How unevenly calls may reach a vendor (see `BucketOptions.jitterMs`); 0 unless given. */
  jitterMs?: number;
}

/** What taking a slot needs from the pacer: its clock, its paces, and the pump that grants from them. */
export interface AcquireDeps {
  clock: Clock;
  /** Hands out places in line (see `AcquireOptions.order`). */
  place: () => number;
  paceOf: (ws: string, target: PaceTarget) => Pace;
  pump: (pace: Pace) => void;
}

/**
 * The pacer's `acquireAny`: admission in every pace, one seeker queued in all that admit it, the
 * caller's abort and the job's deadline, each undone the moment a pace grants.
 */
export function createAcquire(o: AcquireDeps): Pacer['acquireAny'] {
  const { pump, paceOf } = o;
  return (ws, targets, d, opts = {}) => {
    const now = o.clock.now();
    const limits = {
      ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
      ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
    };
    const admitted: Pace[] = [];
    const refused: Error[] = [];
    for (const pace of [...new Set(targets.map((t) => paceOf(ws, t)))]) {
      const no = refusal(pace, { d, share: 1, ...limits }, queueLoad(pace) + 1, now);
      if (no) refused.push(no);
      else admitted.push(pace);
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
        { share: 1 / admitted.length, order: opts.order ?? o.place() },
        { ...limits, ...(opts.onEstimate ? { onEstimate: opts.onEstimate } : {}) },
        { repump: pump },
        { granted, failed, cleanup },
      );
      if (opts.signal?.aborted) return seeker.abort(opts.signal.reason);
      // Join every pace before any of them may grant, so each sees the whole queue.
      for (const pace of admitted) enqueue(pace, seeker.waiterFor(pace));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      for (const pace of admitted) if (!seeker.settled) pump(pace);
      if (!seeker.settled && opts.deadline !== undefined) {
        timer = new AbortController();
        expireAt(o, seeker, d, opts.deadline, timer.signal);
      }
    });
  };
}

/** A job still queued at its deadline is refused then, with how much longer each pace would have made it wait. */
function expireAt(o: AcquireDeps, seeker: Seeker, d: Demand, deadline: number, signal: AbortSignal): void {
  // One past the deadline: a start exactly at the deadline is still in time.
  o.clock.sleep(deadline - o.clock.now() + 1, signal).then(
    () => {
      for (const [pace, w] of seeker.entries()) {
        const i = pace.queue.indexOf(w);
        if (i < 0) continue;
        const now = o.clock.now();
        const { wait, binding } = estimate(pace, d, queueLoad(pace, i) + 1, now);
        pace.queue.splice(i, 1);
        w.fail(new PacerFullError(pace.vendor, Math.max(1000, wait), now, binding));
        o.pump(pace);
      }
    },
    () => undefined,
  );
}
