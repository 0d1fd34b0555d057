import { bounded, faster, refill, type BucketState } from './bucket-state.ts';

/** The share of a 429's retry delay an unproven bucket paces at (the delay is the most the vendor needs). */
const HINTED_PACE = 0.9;
/** The share of a proven rate a pace set by coarse refusals runs at, and how fast it backs up before. */
const COARSE_PACE = 0.9;
const COARSE_GROWTH = 1.15;
const COARSE_BACKOFF = 1.6;
/** A whole-second delay this short is too coarse to pace by (a second's rounding is a third of it or more). */
const COARSE_HINT_MS = 2_000;

/** What the bucket learned from 429s' retry delays, beside the shared bucket state. */
interface DelayState {
  /** The pace comes from the exact points of 429 retry delays (a vendor without limit headers). */
  learned: boolean;
  /** Exact points (ends of 429 retry delays) in the refill estimate, and the longest delay heard. */
  exactPoints: number;
  longestHint: number;
  /** Paced by refusals with whole-second delays (see `throttleCoarse`), and the pace of the last one it backed into. */
  coarse: boolean;
  refusedRate: number;
}

/**
 * How a bucket learns its refill from what the vendor does rather than says: a 429 slows it (with
 * the vendor's retry delay, to the pace that delay proves), a success lets it grow.
 */
export interface DelayLearning {
  /** A 429 (see `TokenBucket.throttle`). */
  throttle(t: number, hintMs: number | undefined, stale: boolean): void;
  /** A success without limit headers (see `TokenBucket.relax`). */
  relax(t: number): void;
  /** Whether the vendor's refusals have set the pace: a wait is then the vendor's. */
  readonly heard: boolean;
}

/** Creates the delay learning of the bucket whose state is `s`. */
export function createDelayLearning(s: BucketState): DelayLearning {
  const d: DelayState = { learned: false, exactPoints: 0, longestHint: 0, coarse: false, refusedRate: Infinity };
  return {
    throttle(t, hintMs, stale) {
      refill(s, t);
      if (!s.proven && hintMs !== undefined && hintMs > 0) return throttleHinted(s, d, t, hintMs, stale);
      s.ratePerMs = Math.max(Math.min(s.floorRate, s.ratePerMs), Math.max(s.provable, s.est.best) * 0.9, s.ratePerMs * 0.5);
      s.provable = s.guessed ? s.ratePerMs : 0;
      s.est.reset();
      s.est.point(t, 0, 1);
      if (!s.proven) s.burst = Math.max(1, Math.floor(s.burst / 2));
      s.slowStart = false;
    },
    relax(t) {
      refill(s, t);
      if (s.proven) s.ratePerMs = bounded(s, Math.min(s.fullRate, s.ratePerMs * 1.05));
      else relaxUnproven(s, d, t);
    },
    get heard() {
      return d.coarse || d.learned || d.exactPoints > 0;
    },
  };
}

/** A 429 emptied the bucket: nothing left now, half the burst, and no more slow start. */
function emptied(s: BucketState): void {
  s.level = Math.min(s.level, 0);
  s.burst = Math.max(1, Math.floor(s.burst / 2));
  s.slowStart = false;
}

/**
 * A 429 from a vendor without limit headers that said when one more request is allowed: at
 * `t + hintMs` its bucket holds exactly one, an exact point for the refill estimate. Two such
 * points and the calls let through between them give the vendor's rate. Until then the pace
 * runs just under one request per longest delay heard (the vendor needs at most that per
 * request). A `stale` 429 (of a call sent before the pace last slowed) only adds its delay.
 */
function throttleHinted(s: BucketState, d: DelayState, t: number, hintMs: number, stale: boolean): void {
  // A short whole-second delay after longer ones says only that the next request is near, not the rate.
  if (hintMs % 1000 === 0 && hintMs <= COARSE_HINT_MS && d.longestHint <= COARSE_HINT_MS) return throttleCoarse(s, d, t, hintMs, stale);
  d.longestHint = Math.max(d.longestHint, hintMs);
  if (!stale) {
    // A 429 at a pace the estimate proved means the estimate is wrong (the limit changed, or whole-second
    // delays overstated it): start over, at no more than one request per the longest delay heard.
    if (d.exactPoints >= 2 && s.ratePerMs <= s.est.best) d.exactPoints = 0;
    if (d.exactPoints === 0) s.est.reset();
    s.est.point(t + hintMs, 1, 1);
    d.exactPoints++;
    s.creditAt = Math.max(s.creditAt ?? 0, t + hintMs);
    emptied(s);
  }
  d.learned = d.exactPoints >= 2 && s.est.best > 0;
  const pace = Math.max(s.floorRate, HINTED_PACE * (d.learned ? s.est.best : 1 / d.longestHint));
  s.ratePerMs = stale ? Math.min(s.ratePerMs, pace) : pace;
  s.provable = s.est.best;
}

/**
 * A 429 whose delay is in whole seconds (as Gemini states it): only an upper bound on when one more
 * request is allowed, too coarse to pace by (a key refilling 4 a second says "retry in 1s"). The
 * refusal marks an empty bucket; the calls let through between two refusals prove the rate. Until
 * a second refusal has, the pace recovers fast from its cautious start (and the overshoot is what
 * proves the rate); after, it runs just under what was proven and grows gently.
 */
function throttleCoarse(s: BucketState, d: DelayState, t: number, hintMs: number, stale: boolean): void {
  s.creditAt = Math.max(s.creditAt ?? 0, t + hintMs);
  if (stale) return;
  s.est.point(t, 0, 1);
  emptied(s);
  s.provable = s.est.best;
  if (!d.coarse) s.ratePerMs = Math.max(s.floorRate, Math.min(s.ratePerMs, HINTED_PACE / hintMs));
  else {
    // Refused again while backing up fast: the rate is below this pace, above one growth step under it.
    d.refusedRate = Math.min(d.refusedRate, s.ratePerMs);
    s.ratePerMs = Math.max(s.floorRate, COARSE_PACE * s.provable, s.ratePerMs / COARSE_BACKOFF);
  }
  d.coarse = true;
}

/** A success on a limit nobody has proven: it had a token for this call, and the pace may grow. */
function relaxUnproven(s: BucketState, d: DelayState, t: number): void {
  const bound = s.est.point(t, 0, Infinity);
  s.level = Math.max(s.level, Math.min(0, s.level + 1)); // it let this call through: it had a token for it
  if (d.coarse) {
    // Back up fast until refused again (that refusal bounds the rate); then grow gently under it.
    s.burst = Math.min(s.cap, s.burst + 1 / s.burst);
    const step = d.refusedRate === Infinity ? COARSE_GROWTH : 1.01;
    s.ratePerMs = Math.max(s.ratePerMs, Math.min(s.ratePerMs * step, d.refusedRate * COARSE_PACE));
    return;
  }
  if (d.learned && bound > 0) {
    // The vendor's retry delays pinned its rate down: grow back to it after a 429, never past it.
    s.burst = Math.min(s.cap, s.burst + 1 / s.burst);
    s.ratePerMs = Math.max(s.ratePerMs, Math.min(bound, s.ratePerMs * 1.05));
    return;
  }
  faster(s, bound);
  if (s.slowStart) {
    // Each success frees its own place and half of one more: the window grows 1.5× per round
    // trip (not 2×), as every overshoot of a limit nobody stated costs the 429s already in flight.
    s.burst = Math.min(s.cap, s.burst + 1);
    s.level = Math.min(s.burst, s.level + 1.5);
    faster(s, s.ratePerMs * 1.1);
  } else {
    s.burst = Math.min(s.cap, s.burst + 1 / s.burst);
    faster(s, s.ratePerMs * 1.05);
  }
}
