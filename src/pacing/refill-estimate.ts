/**
 * A provable lower bound on how fast a vendor's bucket refills, from what we saw of it. An
 * observation says the bucket held between `lo` and `hi` tokens at a time (a header's `remaining`
 * is rounded down, so `[r, r + 1)`; a 429 says `[0, 1)`; a success after taking its token `≥ 0`).
 * Between an anchor `a` and a later point `b`, the vendor refilled at least what it let through
 * since (`k`, counting only calls sent after `a` and landed by `b`) plus the change in level:
 * `rate ≥ (lo_b − hi_a + k) / (t_b − t_a)`. The cap can only lose refill, and calls we did not
 * count (another client on the key) only lower the bound, so it never exceeds the real rate.
 */
export interface RefillEstimate {
  /** A call sent at `sentAt` landed having used `used` tokens. */
  counted(sentAt: number, used: number): void;
  /** The bucket held `[lo, hi)` tokens at `t`; returns the best lower bound so far (per ms; 0 when none). */
  point(t: number, lo: number, hi: number): number;
  /** The best lower bound so far, per ms. */
  readonly best: number;
  /** Forgets everything (the limit changed, or a 429 proved the bound wrong). */
  reset(): void;
}

interface Anchor {
  t: number;
  hi: number;
  k: number;
}

const MAX_ANCHORS = 12;
/** Anchors closer together than this add little: the longest spans give the tightest bounds. */
const ANCHOR_GAP_MS = 100;
/** Past this, an anchor may predate a change of limit. */
const ANCHOR_MAX_AGE_MS = 10 * 60_000;
/** Our clock reads a response a little after the vendor counted it: widen every span by this. */
const SKEW_MS = 25;

export function createRefillEstimate(): RefillEstimate {
  let anchors: Anchor[] = [];
  let best = 0;
  return {
    counted(sentAt, used) {
      for (const a of anchors) if (sentAt >= a.t) a.k += used;
    },
    point(t, lo, hi) {
      anchors = anchors.filter((a) => t - a.t <= ANCHOR_MAX_AGE_MS);
      for (const a of anchors) {
        const span = t - a.t;
        if (span > 0) best = Math.max(best, (lo - a.hi + a.k) / (span + SKEW_MS));
      }
      const last = anchors.at(-1);
      if (Number.isFinite(hi) && (!last || t - last.t >= ANCHOR_GAP_MS)) {
        anchors.push({ t, hi, k: 0 });
        if (anchors.length > MAX_ANCHORS) anchors.splice(1, 1); // keep the oldest: it spans the most
      }
      return best;
    },
    get best() {
      return best;
    },
    reset() {
      anchors = [];
      best = 0;
    },
  };
}
