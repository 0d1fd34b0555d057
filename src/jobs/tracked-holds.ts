import type { JobSpendGate } from '../money/budget.ts';
import type { SpendHold } from '../money/spend-gate.ts';

/** A job's spend gate that knows which of its holds are still open, so none outlives the job. */
export interface TrackedGate {
  gate: JobSpendGate;
  /**
   * Releases every hold its execution neither settled nor released (a call abandoned on a failure
   * path): a live process renews its holds, so a forgotten one would keep the budget until restart.
   */
  releaseOpen(): Promise<void>;
}

/** Wraps a job's gate to track its holds; settling and releasing pass straight through. */
export function trackHolds(inner: JobSpendGate): TrackedGate {
  const open = new Set<SpendHold>();
  return {
    gate: tracked(inner, open),
    async releaseOpen() {
      const left = [...open];
      open.clear();
      await Promise.all(left.map((h) => h.release()));
    },
  };
}

/** A gate whose holds join `open` until they settle or are released; a re-routed gate shares the set. */
function tracked(inner: JobSpendGate, open: Set<SpendHold>): JobSpendGate {
  return {
    commit: (also) => inner.commit(also),
    routed: (to) => tracked(inner.routed(to), open),
    async reserve(ref, req, fileTokens) {
      const hold = await inner.reserve(ref, req, fileTokens);
      open.add(hold);
      return {
        start: (granted) => hold.start(granted),
        async settle(call) {
          open.delete(hold);
          await hold.settle(call);
        },
        async release() {
          open.delete(hold);
          await hold.release();
        },
      };
    },
  };
}
