/**
 * One response's limit headers, placed in time. Vendors count a call when it arrives (taken to be
 * when it was sent): the bucket then held `[remaining, remaining + 1)` tokens and is full again at
 * `fullAt`, or up to `slackMs` sooner (the header's rounding: whole seconds for an RFC 3339 instant).
 */
export interface LimitReport {
  sentAt: number;
  /** The reported call's place among our calls (calls sent at the same moment still have an order). */
  seq: number;
  remaining: number;
  fullAt: number;
  slackMs: number;
}

/**
 * Provable bounds on how fast a vendor's bucket refills, from its headers alone: whatever its window
 * (a minute, a second, or a small bucket refilling fast), never assumed. Each report bounds the rate
 * by what was missing and how long it takes to come back; two reports together bound it by the calls
 * counted between them and how much later the bucket is full again, which is exact for headers
 * stated to the millisecond (an upper bound only from each report alone). A contradiction (the limit
 * changed) starts the evidence over from the newest report.
 */
export interface LimitEvidence {
  /** Adds a report; `countedBetween(a, b)` is how much our calls after the one numbered `a`, up to `b`, took. */
  add(r: LimitReport, countedBetween: (a: number, b: number) => number): void;
  /** The slowest refill consistent with every report (per ms; 0 when none is provable yet). */
  readonly lo: number;
  /** The fastest refill consistent with every report (per ms; Infinity when nothing bounds it). */
  readonly hi: number;
  /**
   * The least the vendor refilled between `s1` and `s2` ms after the report's count: from
   * `remaining` it is full by the reset at the latest, so it rises at least at (capacity −
   * remaining) / (time to the reset) until then, and at `lo` after.
   */
  gain(r: LimitReport, s1: number, s2: number): number;
  /** How fast the refill proven by `gain` runs `s` ms after the report's count. */
  slopeAfter(r: LimitReport, s: number): number;
  reset(capacity: number): void;
}

/** Reports kept for pairing: the oldest gives the longest span, the tightest bound. */
const MAX_REPORTS = 16;
/** Past this, a report may predate a change of limit. */
const MAX_AGE_MS = 10 * 60_000;
/**
 * Our clock and the vendor's differ by the network, and a call reaches the vendor some time after it
 * is sent (later still on a loaded machine): every span is widened by this.
 */
const SKEW_MS = 5;

/** Evidence for a bucket of `initialCapacity`: nothing proven until its reports come. */
export function createLimitEvidence(initialCapacity: number): LimitEvidence {
  let cap = initialCapacity;
  let reports: LimitReport[] = [];
  let lo = 0;
  let hi = Infinity;
  const narrow = ([l, h]: [number, number]) => {
    lo = Math.max(lo, l);
    hi = Math.min(hi, h);
  };
  return {
    add(r, countedBetween) {
      reports = reports.filter((x) => r.sentAt - x.sentAt <= MAX_AGE_MS);
      const before = { lo, hi };
      narrow(single(r, cap));
      for (const a of reports) if (a.seq < r.seq) narrow(pair(a, r, countedBetween(a.seq, r.seq)));
      if (lo > hi) {
        // The bounds cross: what was true of the key no longer is. Start over from this report.
        [reports, lo, hi] = [[], 0, Infinity];
        narrow(single(r, cap));
        if (lo > hi) [lo, hi] = [before.lo, before.hi];
      }
      reports.push(r);
      if (reports.length > MAX_REPORTS) reports.splice(1, 1); // keep the oldest: it spans the most
    },
    get lo() {
      return lo;
    },
    get hi() {
      return hi;
    },
    gain(r, s1, s2) {
      const d = r.fullAt - r.sentAt + SKEW_MS;
      if (!Number.isFinite(d) || d <= 0) return lo * Math.max(0, s2 - s1);
      const before = Math.max(0, Math.min(s2, d) - Math.min(s1, d));
      const after = Math.max(0, Math.max(s2, d) - Math.max(s1, d));
      return (before * (cap - r.remaining)) / d + after * lo;
    },
    slopeAfter(r, s) {
      const d = r.fullAt - r.sentAt + SKEW_MS;
      return Number.isFinite(d) && d > 0 && s < d ? (cap - r.remaining) / d : lo;
    },
    reset(capacity) {
      [cap, reports, lo, hi] = [capacity, [], 0, Infinity];
    },
  };
}

/** The bounds one report gives alone: what was missing, refilled within the time until full. */
function single(r: LimitReport, cap: number): [number, number] {
  const dMax = r.fullAt - r.sentAt + SKEW_MS;
  const dMin = r.fullAt - r.slackMs - r.sentAt - SKEW_MS;
  const low = r.remaining + 1 < cap && dMax > 0 ? (cap - r.remaining - 1) / dMax : 0;
  const high = r.remaining < cap && dMin > 0 ? (cap - r.remaining) / dMin : Infinity;
  return [low, high];
}

/**
 * The lower bound a pair gives. By levels (always): between the two counts the vendor refilled at
 * least what it let through (`k` of our calls) plus how much its level rose. By full times (while
 * the bucket stayed below full, so it never stopped refilling): our `k` calls pushed the full time
 * back by k / rate, or by more when others use the key too. Only a lower bound: calls we do not see
 * (other workers, other apps on the same key) would make an upper bound from a pair too low.
 */
function pair(a: LimitReport, b: LimitReport, k: number): [number, number] {
  const span = b.sentAt - a.sentAt + 2 * SKEW_MS;
  const byLevels = span > 0 ? (b.remaining - a.remaining - 1 + k) / span : 0;
  if (k <= 0 || a.fullAt - a.slackMs <= b.sentAt + SKEW_MS) return [Math.max(0, byLevels), Infinity];
  const most = b.fullAt - (a.fullAt - a.slackMs) + 2 * SKEW_MS;
  return [Math.max(0, byLevels, most > 0 ? k / most : 0), Infinity];
}

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
const ANCHOR_SKEW_MS = 25;

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
        if (span > 0) best = Math.max(best, (lo - a.hi + a.k) / (span + ANCHOR_SKEW_MS));
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
