import { bounded, countedBetween, refill, unarrived, type BucketState } from './bucket-state.ts';
import type { LimitReport } from './limit-evidence.ts';

/** When the reported call was counted, and how its reset is stated. */
export interface ReportTiming {
  sentAt?: number;
  /** The reported call's number, from `hold`. */
  seq?: number;
  /** The reset counts from when the vendor counted the call (a duration), not from the response. */
  fromCount?: boolean;
  /** How much sooner than stated the bucket may be full (the header's rounding). */
  slackMs?: number;
}

/**
 * The newest header report, placed at the call it counted: the vendor's level follows from it (and
 * from what we sent since) as a proven lower bound, so a pace with headers is paced by them, never
 * by a guess.
 */
export interface ReportAnchor {
  /** A header report: the bounds it proves and, when it is the newest, the level the pace follows. */
  report(remaining: number, resetMs: number | undefined, t: number, o: ReportTiming): void;
  /** The level the newest report proves at `t`. */
  level(t: number): number;
  /** Milliseconds until the proven level holds `need`, if nothing else is sent meanwhile. */
  waitMs(need: number, t: number): number;
  /**
   * A limit nobody set is paced by what the newest report proves when that gives more room than the
   * paced reading. An admin's pace is a ceiling the key's own refill must not lift: it keeps the paced
   * reading, which each report restarts from the vendor's count.
   */
  readonly paces: boolean;
  /** Whether a report stands (the vendor's own numbers pace this bucket). */
  readonly present: boolean;
  /** Drops the report (a 429, a changed limit, a recalled state). */
  forget(): void;
}

/** Creates the report anchor of the bucket whose state is `s`. */
export function createReportAnchor(s: BucketState): ReportAnchor {
  let anchor: LimitReport | undefined;
  return {
    report(remaining, resetMs, t, o) {
      const sentAt = Math.min(t, o.sentAt ?? t);
      const fullAt = resetMs === undefined ? Infinity : (o.fromCount ? sentAt : t) + resetMs;
      const r: LimitReport = { sentAt, seq: o.seq ?? s.nextSeq - 1, remaining, fullAt, slackMs: o.slackMs ?? 0 };
      // For the rate, calls' counts are placed at their sending: a steady delay to the vendor cancels out
      // between two reports. For the level, a reset counted from an unknown moment of the call's flight is
      // taken from its answer (when the vendor may have counted it): never sooner than it can be true.
      if (Number.isFinite(fullAt)) s.evidence.add(r, (a, b) => countedBetween(s, a, b));
      s.provable = Math.max(s.provable, s.evidence.lo);
      if (anchor && r.seq < anchor.seq) return; // an older call's report, late: the newer one stands
      anchor = o.fromCount && Number.isFinite(fullAt) ? countedAtAnswer(s, r, t, fullAt - sentAt) : r;
      // The paced reading restarts from the vendor's count: no refill credited for the time since.
      s.level = Math.min(s.burst, remaining - countedBetween(s, r.seq, Infinity));
    },
    level: (t) => anchoredLevel(s, anchor!, t),
    waitMs: (need, t) => anchoredWait(s, anchor!, need, t),
    get paces() {
      return anchor !== undefined && s.guessed;
    },
    get present() {
      return anchor !== undefined;
    },
    forget() {
      anchor = undefined;
    },
  };
}

/**
 * A report whose count fell somewhere in the call's flight, restated at its answer: the least level
 * any moment of the flight gives (what remained, refilled since at the proven rate, less what we sent
 * after that moment), full again within the same time from now.
 */
function countedAtAnswer(s: BucketState, r: LimitReport, t: number, d: number): LimitReport {
  const { sends, evidence, statedCap } = s;
  let least = r.remaining; // counted just now: every call sent before is in `remaining`
  let after = 0;
  for (let i = sends.length - 1; i >= 0 && sends[i]!.seq > r.seq; i--) {
    after += sends[i]!.n;
    least = Math.min(least, r.remaining + evidence.lo * Math.max(0, t - sends[i]!.t) - after);
  }
  least = Math.min(least, r.remaining + evidence.lo * (t - r.sentAt) - after);
  // Full again no sooner than the report's own rate refills it from there (the stated time holds only
  // for what remained at the count, not for the calls sent since).
  const slope = Math.min(r.remaining < statedCap && d > 0 ? (statedCap - r.remaining) / d : evidence.lo, evidence.hi);
  const refilled = slope > 0 ? t + (statedCap - least) / slope : Infinity;
  return { sentAt: t, seq: s.nextSeq - 1, remaining: least, fullAt: least >= statedCap ? t : Math.max(t + d, refilled), slackMs: r.slackMs };
}

/**
 * The level the newest report proves now: from what remained at its count, risen as its reset
 * proves (never past the capacity: a full bucket stops refilling), less each call we sent after it.
 */
function anchoredLevel(s: BucketState, a: LimitReport, t: number): number {
  let l = a.remaining;
  let u = a.sentAt;
  for (const x of s.sends) {
    if (x.seq <= a.seq) continue;
    l = Math.min(s.statedCap - unarrived(s, x.t, a.seq), l + gain(s, a, u, x.t)) - x.n;
    u = Math.max(u, x.t);
  }
  return Math.min(s.burst, s.statedCap - unarrived(s, t, a.seq), l + gain(s, a, u, t));
}

/** What the report proves refilled between two times, never faster than an admin allows. */
const gain = (s: BucketState, a: LimitReport, from: number, to: number) =>
  to <= from ? 0 : Math.min(s.evidence.gain(a, from - a.sentAt, to - a.sentAt), s.ceiling.rate * (to - from));

/** Milliseconds until the proven level holds `need`, if nothing else is sent meanwhile. */
function anchoredWait(s: BucketState, a: LimitReport, need: number, t: number): number {
  let deficit = need - anchoredLevel(s, a, t);
  let u = t;
  for (let step = 0; step < 2 && deficit > 0; step++) {
    const slope = Math.max(Math.min(s.evidence.slopeAfter(a, u - a.sentAt), s.ceiling.rate), s.floorRate);
    const d = a.fullAt - a.sentAt;
    const segment = u - a.sentAt < d ? Math.min(deficit / slope, a.sentAt + d - u) : deficit / slope;
    deficit -= segment * slope;
    u += segment;
  }
  return Math.max(0, u - t);
}

/** One response's headers for one bucket: the limit it states, what remained, and when it is full again. */
export interface LimitHeaders {
  stated: number | undefined;
  remaining: number | undefined;
  resetMs: number | undefined;
  timing: ReportTiming;
}

/**
 * Adopts what the vendor reported about a call (see `TokenBucket.observe`): a stated limit proves
 * the bucket's size, and what remained is placed at the call it counted.
 */
export function observeLimits(s: BucketState, anchor: ReportAnchor, h: LimitHeaders, t: number): void {
  const { stated } = h;
  refill(s, t);
  // A key's stated limit above the admin's (set under it on purpose, e.g. for other users of the key) is not taken.
  const limit = stated === undefined ? undefined : Math.min(stated, s.ceiling.cap);
  if (stated !== undefined && stated > 0 && stated !== s.statedCap) {
    s.statedCap = stated;
    s.evidence.reset(s.statedCap);
    anchor.forget();
  }
  if (limit !== undefined && limit > 0 && limit !== s.cap) {
    // A configured pace scales with the limit; a guessed one says nothing about the window.
    if (!s.guessed) [s.ratePerMs, s.fullRate] = [(s.ratePerMs * limit) / s.cap, (s.fullRate * limit) / s.cap];
    s.cap = limit;
    s.est.reset();
    s.provable = 0;
  }
  if (limit !== undefined && limit > 0) [s.proven, s.slowStart, s.burst] = [true, false, s.cap];
  if (h.remaining === undefined) return;
  anchor.report(h.remaining, h.resetMs, t, h.timing);
  // A guessed pace gives way to the first provable one, even a slower one; after that only proof moves it.
  // A limit nobody set is paced only as fast as its headers prove; an admin's, at the admin's pace
  // unless the headers prove the key slower.
  if (s.guessed) s.ratePerMs = bounded(s, Math.max(s.floorRate, s.provable));
  else s.ratePerMs = bounded(s, Math.max(s.ratePerMs, s.provable));
  s.fullRate = Math.max(s.fullRate, s.ratePerMs);
}
