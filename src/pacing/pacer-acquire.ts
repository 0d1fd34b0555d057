import type { Clock } from '../shared/clock.ts';
import { enqueue, estimate, queueLoad, refusal, type Pace } from './pacer-admission.ts';
import type { PaceTarget, Pacer } from './pacer-api.ts';
import type { Demand } from './pacer-buckets.ts';
import { PacerFullError } from './pacer-errors.ts';
import { bestReason, createSeeker, SETTLED, type Grant, type Seeker } from './pacer-seeker.ts';

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
