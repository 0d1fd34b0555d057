import { PacerFullError, PacerTooSmallError } from './pacer-errors.ts';
import type { Lane, Waiter } from './pacer-admission.ts';
import type { Demand, PacerTicket } from './pacer-buckets.ts';
import type { Vendor } from '../shared/types.ts';
import type { WaitOwner } from './token-bucket.ts';

/** A slot in whichever of the job's vendor lanes had room first. */
export interface Grant {
  vendor: Vendor;
  /** The granting lane's name (`openai` or `openai|gpt-6-luna`). */
  lane: string;
  ticket: PacerTicket;
}

/** Why a waiter's timers and listeners are stopped: it was granted or failed (a constant, no AbortError built). */
export const SETTLED = 'settled';

/** What a seeker needs from the pacer: to wake a lane whose queue it left. */
export interface SeekerHooks {
  repump(lane: Lane): void;
}

/**
 * One job waiting in several vendor lanes at once: the first lane with room grants it, and it
 * leaves the others at that moment, so a lane that turns out faster takes the work instead of the
 * work staying where an early guess put it. It counts as 1/k of a job in each of its k queues, so
 * each lane's estimate sees its fair part of the work waiting. It fails only when every lane has
 * let it go, with the most useful of their reasons.
 */
export interface Seeker {
  /** This seeker's entry in `lane`'s queue (made once per lane). */
  waiterFor(lane: Lane): Waiter;
  /** The lanes it still waits in, with its entry in each. */
  entries(): [Lane, Waiter][];
  /** Fails it in every lane (cancelled). */
  abort(e: unknown): void;
  readonly settled: boolean;
}

/** What becomes of a seeker: granted once, or failed once; `cleanup` runs first either way. */
export interface SeekerOutcome {
  granted: (g: Grant) => void;
  failed: (e: unknown) => void;
  cleanup: () => void;
}

/** What a seeker tracks: the lanes it waits in, their latest estimates, the lanes' refusals, and whether it is over. */
interface SeekerState {
  settled: boolean;
  readonly waiting: Map<Lane, Waiter>;
  readonly estimates: Map<Lane, { ms: number; owner?: WaitOwner }>;
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
  const waiterFor = (lane: Lane): Waiter => {
    const w: Waiter = {
      ws,
      d,
      ...line,
      ...limits,
      grant: (t) => {
        if (st.settled) return t.cancel();
        st.waiting.delete(lane);
        finish(st, hooks, done);
        done.granted({ vendor: lane.vendor, lane: lane.name, ticket: t });
      },
      fail: (e) => {
        if (!st.settled && st.waiting.get(lane) === w) leave(st, lane, e, hooks, done);
      },
      onEstimate: (ms, owner) => {
        st.estimates.set(lane, { ms, ...(owner ? { owner } : {}) });
        const soonest = [...st.estimates.values()].reduce((a, b) => (b.ms < a.ms ? b : a));
        o.onEstimate?.(soonest.ms, soonest.owner);
      },
    };
    st.waiting.set(lane, w);
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

/** The seeker is over: it leaves every queue it is still in (waking those lanes) and cleans up. */
function finish(st: SeekerState, hooks: SeekerHooks, done: SeekerOutcome): void {
  st.settled = true;
  for (const [lane, w] of st.waiting) {
    const i = lane.queue.indexOf(w);
    if (i < 0) continue;
    lane.queue.splice(i, 1);
    queueMicrotask(() => hooks.repump(lane));
  }
  st.waiting.clear();
  done.cleanup();
}

/** One lane let the seeker go; when the last has, it fails with the most useful reason. */
function leave(st: SeekerState, lane: Lane, e: unknown, hooks: SeekerHooks, done: SeekerOutcome): void {
  st.waiting.delete(lane);
  st.estimates.delete(lane);
  st.errors.push(e instanceof Error ? e : new Error(String(e)));
  if (st.waiting.size > 0) return;
  finish(st, hooks, done);
  done.failed(bestReason(st.errors));
}

/** The reason worth telling: the soonest retry of a full lane, else a lane too small, else the first. */
export function bestReason(errors: readonly Error[]): Error {
  const full = errors.filter((e): e is PacerFullError => e instanceof PacerFullError).sort((a, b) => a.waitMs - b.waitMs)[0];
  return full ?? errors.find((e) => e instanceof PacerTooSmallError) ?? errors[0] ?? new Error('no vendor lane to wait in');
}
