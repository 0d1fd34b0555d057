import { PacerFullError, PacerTooSmallError } from './pacer-errors.ts';
import type { Pace, Waiter } from './pacer-admission.ts';
import type { Demand, PacerTicket } from './pacer-buckets.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import type { WaitOwner } from './token-bucket.ts';

/** A slot in whichever of the job's vendor paces had room first. */
export interface Grant {
  vendor: Vendor;
  /** The granting pace's name (`openai` or `openai|gpt-6-luna`). */
  pace: string;
  ticket: PacerTicket;
}

/** Why a waiter's timers and listeners are stopped: it was granted or failed (a constant, no AbortError built). */
export const SETTLED = 'settled';

/** What a seeker needs from the pacer: to wake a pace whose queue it left. */
export interface SeekerHooks {
  repump(pace: Pace): void;
}

/**
 * One job waiting in several vendor paces at once: the first pace with room grants it, and it
 * leaves the others at that moment, so a pace that turns out faster takes the work instead of the
 * work staying where an early guess put it. It counts as 1/k of a job in each of its k queues, so
 * each pace's estimate sees its fair part of the work waiting. It fails only when every pace has
 * let it go, with the most useful of their reasons.
 */
export interface Seeker {
  /** This seeker's entry in `pace`'s queue (made once per pace). */
  waiterFor(pace: Pace): Waiter;
  /** The paces it still waits in, with its entry in each. */
  entries(): [Pace, Waiter][];
  /** Fails it in every pace (cancelled). */
  abort(e: unknown): void;
  readonly settled: boolean;
}

/** What becomes of a seeker: granted once, or failed once; `cleanup` runs first either way. */
export interface SeekerOutcome {
  granted: (g: Grant) => void;
  failed: (e: unknown) => void;
  cleanup: () => void;
}

/** What a seeker tracks: the paces it waits in, their latest estimates, the paces' refusals, and whether it is over. */
interface SeekerState {
  settled: boolean;
  readonly waiting: Map<Pace, Waiter>;
  readonly estimates: Map<Pace, { ms: number; owner?: WaitOwner }>;
  readonly errors: Error[];
}

/** Creates a seeker for a job of demand `d` in workspace `ws`; see `Seeker`. */
export function createSeeker(
  ws: string,
  d: Demand,
  line: { share: number; order: number },
  o: { maxWaitMs?: number; deadline?: number; onEstimate?: (waitMs: number, owner?: WaitOwner) => void },
  hooks: SeekerHooks,
  done: SeekerOutcome,
): Seeker {
  const st: SeekerState = { settled: false, waiting: new Map(), estimates: new Map(), errors: [] };
  const limits = { ...(o.maxWaitMs !== undefined ? { maxWaitMs: o.maxWaitMs } : {}), ...(o.deadline !== undefined ? { deadline: o.deadline } : {}) };
  const waiterFor = (pace: Pace): Waiter => {
    const w: Waiter = {
      ws,
      d,
      ...line,
      ...limits,
      grant: (t) => {
        if (st.settled) return t.cancel();
        st.waiting.delete(pace);
        finish(st, hooks, done);
        done.granted({ vendor: pace.vendor, pace: pace.name, ticket: t });
      },
      fail: (e) => {
        if (!st.settled && st.waiting.get(pace) === w) leave(st, pace, e, hooks, done);
      },
      onEstimate: (ms, owner) => {
        st.estimates.set(pace, { ms, ...(owner ? { owner } : {}) });
        const soonest = [...st.estimates.values()].reduce((a, b) => (b.ms < a.ms ? b : a));
        o.onEstimate?.(soonest.ms, soonest.owner);
      },
    };
    st.waiting.set(pace, w);
    return w;
  };
  return {
    waiterFor,
    entries: () => [...st.waiting],
    abort(e) {
      if (st.settled) return;
      finish(st, hooks, done);
      done.failed(e);
    },
    get settled() {
      return st.settled;
    },
  };
}

/** The seeker is over: it leaves every queue it is still in (waking those paces) and cleans up. */
function finish(st: SeekerState, hooks: SeekerHooks, done: SeekerOutcome): void {
  st.settled = true;
  for (const [pace, w] of st.waiting) {
    const i = pace.queue.indexOf(w);
    if (i < 0) continue;
    pace.queue.splice(i, 1);
    queueMicrotask(() => hooks.repump(pace));
  }
  st.waiting.clear();
  done.cleanup();
}

/** One pace let the seeker go; when the last has, it fails with the most useful reason. */
function leave(st: SeekerState, pace: Pace, e: unknown, hooks: SeekerHooks, done: SeekerOutcome): void {
  st.waiting.delete(pace);
  st.estimates.delete(pace);
  st.errors.push(e instanceof Error ? e : new Error(String(e)));
  if (st.waiting.size > 0) return;
  finish(st, hooks, done);
  done.failed(bestReason(st.errors));
}

/** The reason worth telling: the soonest retry of a full pace, else a pace too small, else the first. */
export function bestReason(errors: readonly Error[]): Error {
  const full = errors.filter((e): e is PacerFullError => e instanceof PacerFullError).sort((a, b) => a.waitMs - b.waitMs)[0];
  return full ?? errors.find((e) => e instanceof PacerTooSmallError) ?? errors[0] ?? new Error('no vendor pace to wait in');
}
