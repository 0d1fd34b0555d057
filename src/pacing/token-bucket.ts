import { createLimitEvidence, type LimitReport } from './limit-evidence.ts';
import { createRefillEstimate } from './refill-estimate.ts';

/** What a bucket learned, kept across restarts (see `pacer-memory.ts`). */
export interface BucketMemory {
  capacity: number;
  ratePerMs: number;
  /** How many calls may go back to back while the limit is unproven. */
  burst: number;
  /** The vendor's headers (or an admin) stated the limit; otherwise it was probed. */
  proven: boolean;
  /** Still growing fast: no 429 seen yet. */
  slowStart: boolean;
}

/**
 * A continuously refilling token bucket, the model Anthropic documents for its limits and a
 * conservative one for OpenAI's. Work in flight is held as `pending` and only taken from the
 * level when it lands: the vendor counts a request when it arrives, which is at the latest when
 * its response comes back, so refill is never credited for time the vendor's bucket sat full.
 * A probing bucket (a limit nobody set) starts with one call at a time and grows while calls
 * succeed; every response's headers correct it, and a 429 halves it (AIMD).
 */
export interface TokenBucket {
  /** Tokens free for new work at `now` (level minus work in flight). */
  available(now: number): number;
  /** Milliseconds until `amount` tokens are free; `Infinity` when only a landing can free them. */
  waitFor(amount: number, now: number): number;
  /**
   * Like `deficitMs`, at the fastest refill the vendor's headers allow: a lower bound, so a job is
   * refused for a full lane only when even that cannot serve it in time.
   */
  soonestMs(amount: number, now: number): number;
  /** Whether `amount` can ever pass: a call larger than the whole bucket never will. */
  fits(amount: number): boolean;
  /** Estimated milliseconds of refill until `amount` tokens are free, ignoring the cap (for ranking lanes). */
  deficitMs(amount: number, now: number): number;
  /** Takes tokens for work being sent now (the vendor counts a call when it arrives); the send's number. */
  hold(amount: number, now?: number): number;
  /** The work sent at `sentAt` (numbered `seq`) landed: what it really used replaces what was taken for it. */
  land(held: number, used: number, now: number, sentAt?: number, seq?: number): void;
  /** Empties the bucket (a 429 said there is nothing left). */
  drain(now: number): void;
  /**
   * A 429: our pace was too fast. Halve it, never below what the vendor provably refills. With the
   * vendor's own retry delay (`hintMs`: the time until one more request is allowed) an unproven
   * bucket paces at nearly one request per delay when that is faster than the halved pace.
   */
  throttle(now: number, hintMs?: number, stale?: boolean): void;
  /** A success without limit headers: grow (fast before the first 429, gently after). */
  relax(now: number): void;
  /**
   * Adopts what the vendor reported about the call sent at `at.sentAt`: its limit, what remained once
   * it was counted, and when the bucket is full again (`resetMs` from the response, or from the count
   * with `at.fromCount`; up to `at.slackMs` sooner). The rate follows from reports together, whatever
   * the window.
   */
  observe(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, now: number, at?: ReportTiming): void;
  /** Whose limit a wait on this bucket is: what the vendor stated or proved, or Hive's own caution. */
  readonly owner: WaitOwner;
  remember(): BucketMemory;
  /** Starts from a remembered state: as truth when fresh, else as a cautious hint. */
  recall(m: BucketMemory, fresh: boolean, now: number, savedAt: number): void;
  readonly capacity: number;
}

/**
 * Whose limit holds a call back: the vendor's (stated in headers, or proven by its refusals), an
 * admin's ceiling, Hive's cautious start on a key it knows nothing about, or Hive's default ceiling.
 */
export type WaitOwner = 'vendor' | 'admin' | 'cautious' | 'default';

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
 * `guessed`: nobody set this limit, so it is a guess until headers state it (a guess never refuses
 * a job). `probe`: also start with one call at a time and grow while calls succeed (requests).
 */
export interface BucketOptions {
  guessed?: boolean;
  probe?: boolean;
  /** A guessed bucket's starting pace. */
  startRatePerMs?: number;
  /**
   * How much sooner than planned a call may reach the vendor than the one before it: the bucket keeps
   * back what refills in this time (at most one token), so calls paced at a vendor's exact rate are not
   * refused for arriving close together. It delays only a drained bucket's next call, never the pace.
   */
  jitterMs?: number;
}

/** The share of a 429's retry delay an unproven bucket paces at (the delay is the most the vendor needs). */
const HINTED_PACE = 0.9;
/** The share of a proven rate a lane paced by coarse refusals runs at, and how fast it backs up before. */
const COARSE_PACE = 0.9;
const COARSE_GROWTH = 1.15;
const COARSE_BACKOFF = 1.6;
/** A whole-second delay this short is too coarse to pace by (a second's rounding is a third of it or more). */
const COARSE_HINT_MS = 2_000;

/**
 * How much sooner than planned a call may reach the vendor than the one before it, by default
 * (event-loop and network delays): see `BucketOptions.jitterMs`.
 */
export const DEFAULT_JITTER_MS = 60;

/**
 * How long after its sending a call may reach the vendor, in `jitterMs`: until then, or its answer, a
 * full bucket is taken to wait for it (see `unarrived`). A stalled event loop delays a send by
 * several times the usual spread between two.
 */
const ARRIVAL_JITTERS = 4;

/** Sends remembered for pairing reports (how many calls the vendor counted between two of them). */
const SEND_LOG_MS = 10 * 60_000;
const SEND_LOG_MAX = 2_000;

/** Creates a bucket holding `capacity` tokens that refills fully every `periodMs`; full unless probing. */
export function createTokenBucket(capacity: number, periodMs: number, now: number, opts: BucketOptions = {}): TokenBucket {
  let cap = capacity;
  const jitterMs = opts.jitterMs ?? 0;
  const arrivalMs = ARRIVAL_JITTERS * jitterMs;
  let ratePerMs = opts.guessed && opts.startRatePerMs ? Math.min(opts.startRatePerMs, capacity / periodMs) : capacity / periodMs;
  /** The rate the limit itself stands for (configured, or scaled by a learned limit): 429s slow below it, successes creep back. */
  let fullRate = ratePerMs;
  const floorRate = 1 / periodMs;
  const guessed = Boolean(opts.guessed);
  let proven = !guessed;
  /** The best lower bound on the vendor's refill that its numbers prove (per ms; 0: none yet). */
  let provable = 0;
  const probing = guessed && Boolean(opts.probe);
  let slowStart = probing;
  let burst = slowStart ? 1 : cap;
  let level = burst;
  /** Taken for calls still in flight (a probing bucket lets only `burst` out at once). */
  let pending = 0;
  let at = now;
  /** Calls sent (number, time and amount), so reports can be placed among them. */
  const sends: { seq: number; t: number; n: number; landed?: boolean }[] = [];
  /**
   * Taken by our calls that may not have reached the vendor by `t` (sent within the arrival time, not
   * back yet): a full bucket does not refill for them until they arrive, so neither may ours.
   */
  const unarrived = (t: number, after = -1) => {
    let n = 0;
    for (let i = sends.length - 1; i >= 0 && t - sends[i]!.t < arrivalMs; i--) {
      const x = sends[i]!;
      if (x.seq > after && x.t <= t && !x.landed) n += x.n;
    }
    return n;
  };
  let nextSeq = 0;
  /**
   * The newest header report: the vendor's level follows from it (and from what we sent since) as
   * a proven lower bound, so a lane with headers is paced by them, never by a guess.
   */
  let anchor: LimitReport | undefined;
  /** The key's own limit as the vendor states it: its reports count from it, even under an admin's lower ceiling. */
  let statedCap = cap;
  const evidence = createLimitEvidence(statedCap);
  /** The pace comes from the exact points of 429 retry delays (a vendor without limit headers). */
  let learnedFromDelays = false;
  /** Exact points (ends of 429 retry delays) in the refill estimate, and the longest delay heard. */
  let exactPoints = 0;
  let longestHint = 0;
  /** When a 429's retry delay ends: the vendor then has (at least) one request for us. */
  let creditAt: number | undefined;
  /** Paced by refusals with whole-second delays (see `throttleCoarse`), and the pace of the last one it backed into. */
  let coarse = false;
  let refusedRate = Infinity;
  const est = createRefillEstimate();
  const refill = (t: number) => {
    if (t > at) {
      level = Math.max(level, Math.min(burst - unarrived(at), level + (t - at) * ratePerMs));
      at = t;
    }
    if (creditAt !== undefined && t >= creditAt) {
      level = Math.max(level, Math.min(burst, 1));
      creditAt = undefined;
    }
  };
  /** An admin's limit is a ceiling: headers and successes may slow the pace below it, never lift it above. */
  const ceiling = guessed ? { cap: Infinity, rate: Infinity } : { cap: capacity, rate: capacity / periodMs };
  /** Never faster than the vendor's headers prove possible, nor than an admin allows. */
  const bounded = (r: number) => Math.min(ceiling.rate, evidence.hi, r);
  const faster = (r: number) => {
    ratePerMs = bounded(Math.max(ratePerMs, r));
    fullRate = Math.max(fullRate, ratePerMs);
  };
  const countedBetween = (a: number, b: number) => sends.reduce((n, x) => (x.seq > a && x.seq <= b ? n + x.n : n), 0);
  /** A wait of `byRefill`, or less when a 429's retry delay promised a request sooner. */
  const withCredit = (amount: number, byRefill: number, t: number) =>
    creditAt === undefined ? byRefill : Math.min(byRefill, Math.max(0, creditAt - t) + Math.max(0, amount - 1) / ratePerMs);
  /**
   * A 429 from a vendor without limit headers that said when one more request is allowed: at
   * `t + hintMs` its bucket holds exactly one, an exact point for the refill estimate. Two such
   * points and the calls let through between them give the vendor's rate. Until then the lane
   * paces just under one request per longest delay heard (the vendor needs at most that per
   * request). A `stale` 429 (of a call sent before the lane last slowed) only adds its delay.
   */
  const throttleHinted = (t: number, hintMs: number, stale: boolean) => {
    // A short whole-second delay after longer ones says only that the next request is near, not the rate.
    if (hintMs % 1000 === 0 && hintMs <= COARSE_HINT_MS && longestHint <= COARSE_HINT_MS) return throttleCoarse(t, hintMs, stale);
    longestHint = Math.max(longestHint, hintMs);
    if (!stale) {
      // A 429 at a pace the estimate proved means the estimate is wrong (the limit changed, or whole-second
      // delays overstated it): start over, at no more than one request per the longest delay heard.
      if (exactPoints >= 2 && ratePerMs <= est.best) exactPoints = 0;
      if (exactPoints === 0) est.reset();
      est.point(t + hintMs, 1, 1);
      exactPoints++;
      creditAt = Math.max(creditAt ?? 0, t + hintMs);
      level = Math.min(level, 0);
      burst = Math.max(1, Math.floor(burst / 2));
      slowStart = false;
    }
    learnedFromDelays = exactPoints >= 2 && est.best > 0;
    const pace = Math.max(floorRate, HINTED_PACE * (learnedFromDelays ? est.best : 1 / longestHint));
    ratePerMs = stale ? Math.min(ratePerMs, pace) : pace;
    provable = est.best;
  };
  /**
   * A 429 whose delay is in whole seconds (as Gemini states it): only an upper bound on when one more
   * request is allowed, too coarse to pace by (a key refilling 4 a second says "retry in 1s"). The
   * refusal marks an empty bucket; the calls let through between two refusals prove the rate. Until
   * a second refusal has, the lane recovers fast from its cautious pace (and the overshoot is what
   * proves the rate); after, it paces just under what was proven and grows gently.
   */
  const throttleCoarse = (t: number, hintMs: number, stale: boolean) => {
    creditAt = Math.max(creditAt ?? 0, t + hintMs);
    if (stale) return;
    est.point(t, 0, 1);
    level = Math.min(level, 0);
    burst = Math.max(1, Math.floor(burst / 2));
    slowStart = false;
    provable = est.best;
    if (!coarse) ratePerMs = Math.max(floorRate, Math.min(ratePerMs, HINTED_PACE / hintMs));
    else {
      // Refused again while backing up fast: the rate is below this pace, above one growth step under it.
      refusedRate = Math.min(refusedRate, ratePerMs);
      ratePerMs = Math.max(floorRate, COARSE_PACE * provable, ratePerMs / COARSE_BACKOFF);
    }
    coarse = true;
  };
  /** A header report: the bounds it proves and, when it is the newest, the level the lane follows. */
  const report = (remaining: number, resetMs: number | undefined, t: number, o: ReportTiming) => {
    const sentAt = Math.min(t, o.sentAt ?? t);
    const fullAt = resetMs === undefined ? Infinity : (o.fromCount ? sentAt : t) + resetMs;
    const r: LimitReport = { sentAt, seq: o.seq ?? nextSeq - 1, remaining, fullAt, slackMs: o.slackMs ?? 0 };
    // For the rate, calls' counts are placed at their sending: a steady delay to the vendor cancels out
    // between two reports. For the level, a reset counted from an unknown moment of the call's flight is
    // taken from its answer (when the vendor may have counted it): never sooner than it can be true.
    if (Number.isFinite(fullAt)) evidence.add(r, countedBetween);
    provable = Math.max(provable, evidence.lo);
    if (anchor && r.seq < anchor.seq) return; // an older call's report, late: the newer one stands
    anchor = o.fromCount && Number.isFinite(fullAt) ? countedAtAnswer(r, t, fullAt - sentAt) : r;
    // The paced reading restarts from the vendor's count: no refill credited for the time since.
    level = Math.min(burst, remaining - countedBetween(r.seq, Infinity));
  };
  /**
   * A report whose count fell somewhere in the call's flight, restated at its answer: the least level
   * any moment of the flight gives (what remained, refilled since at the proven rate, less what we sent
   * after that moment), full again within the same time from now.
   */
  const countedAtAnswer = (r: LimitReport, t: number, d: number): LimitReport => {
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
    return { sentAt: t, seq: nextSeq - 1, remaining: least, fullAt: least >= statedCap ? t : Math.max(t + d, refilled), slackMs: r.slackMs };
  };
  /**
   * The level the newest report proves now: from what remained at its count, risen as its reset
   * proves (never past the capacity: a full bucket stops refilling), less each call we sent after it.
   */
  const anchoredLevel = (t: number) => {
    const a = anchor!;
    let l = a.remaining;
    let u = a.sentAt;
    for (const x of sends) {
      if (x.seq <= a.seq) continue;
      l = Math.min(statedCap - unarrived(x.t, a.seq), l + gain(a, u, x.t)) - x.n;
      u = Math.max(u, x.t);
    }
    return Math.min(burst, statedCap - unarrived(t, a.seq), l + gain(a, u, t));
  };
  /** What the report proves refilled between two times, never faster than an admin allows. */
  const gain = (a: LimitReport, from: number, to: number) =>
    to <= from ? 0 : Math.min(evidence.gain(a, from - a.sentAt, to - a.sentAt), ceiling.rate * (to - from));
  /** Milliseconds until the proven level holds `need`, if nothing else is sent meanwhile. */
  const anchoredWait = (need: number, t: number): number => {
    const a = anchor!;
    let deficit = need - anchoredLevel(t);
    let u = t;
    for (let step = 0; step < 2 && deficit > 0; step++) {
      const slope = Math.max(Math.min(evidence.slopeAfter(a, u - a.sentAt), ceiling.rate), floorRate);
      const d = a.fullAt - a.sentAt;
      const segment = u - a.sentAt < d ? Math.min(deficit / slope, a.sentAt + d - u) : deficit / slope;
      deficit -= segment * slope;
      u += segment;
    }
    return Math.max(0, u - t);
  };
  /** The level as the lane believes it: proven by the newest report, else paced by the rate. */
  const levelNow = (t: number) => {
    refill(t);
    return proofPaced() ? Math.max(anchoredLevel(t), level) : level;
  };
  /**
   * A limit nobody set is paced by what the newest report proves when that gives more room than the
   * paced reading. An admin's pace is a ceiling the key's own refill must not lift: it keeps the paced
   * reading, which each report restarts from the vendor's count.
   */
  const proofPaced = () => anchor !== undefined && guessed;
  return {
    get capacity() {
      return cap;
    },
    available(t) {
      return levelNow(t);
    },
    waitFor(amount, t) {
      // A little kept back (what `jitterMs` refills): calls sent in step reach the vendor unevenly.
      const want = Math.max(Math.min(amount, cap), Math.min(cap, burst, amount + Math.min(1, ratePerMs * jitterMs)));
      const need = want - levelNow(t);
      // Probing a limit nobody stated: no more out at once than it has proven, until calls land.
      if (probing && !proven && pending + Math.min(amount, cap) > burst) return Infinity;
      if (need <= 0) return 0;
      const paced = withCredit(want, (want - level) / ratePerMs, t);
      return Math.ceil(proofPaced() ? Math.min(anchoredWait(want, t), paced) : paced);
    },
    fits(amount) {
      return !proven || amount <= cap;
    },
    soonestMs(amount, t) {
      const now = levelNow(t);
      if (!proven) return 0;
      const fastest = Number.isFinite(evidence.hi) ? Math.max(ratePerMs, evidence.hi) : Math.max(ratePerMs, fullRate);
      return Math.max(0, (amount - now) / fastest);
    },
    deficitMs(amount, t) {
      refill(t);
      const paced = withCredit(amount, Math.max(0, (amount - level) / ratePerMs), t);
      return proofPaced() ? Math.min(anchoredWait(amount, t), paced) : paced;
    },
    hold(amount, t = at) {
      refill(t);
      level -= amount;
      pending += amount;
      const seq = nextSeq++;
      sends.push({ seq, t, n: amount });
      while (sends.length > SEND_LOG_MAX || (sends.length > 0 && t - sends[0]!.t > SEND_LOG_MS)) sends.shift();
      return seq;
    },
    land(held, used, t, sentAt, seq) {
      refill(t);
      pending = Math.max(0, pending - held);
      // What was taken for the call at its sending gives way to what it really used.
      level = Math.min(burst, level + held - used);
      const sent = seq === undefined ? undefined : sends.find((x) => x.seq === seq);
      if (sent) [sent.n, sent.landed] = [used, true];
      if (sentAt !== undefined && used > 0) est.counted(sentAt, used);
    },
    throttle(t, hintMs, stale = false) {
      refill(t);
      if (!proven && hintMs !== undefined && hintMs > 0) return throttleHinted(t, hintMs, stale);
      ratePerMs = Math.max(Math.min(floorRate, ratePerMs), Math.max(provable, est.best) * 0.9, ratePerMs * 0.5);
      provable = guessed ? ratePerMs : 0;
      est.reset();
      est.point(t, 0, 1);
      if (!proven) burst = Math.max(1, Math.floor(burst / 2));
      slowStart = false;
    },
    relax(t) {
      refill(t);
      if (proven) {
        ratePerMs = bounded(Math.min(fullRate, ratePerMs * 1.05));
        return;
      }
      const bound = est.point(t, 0, Infinity);
      level = Math.max(level, Math.min(0, level + 1)); // it let this call through: it had a token for it
      if (coarse) {
        // Back up fast until refused again (that refusal bounds the rate); then grow gently under it.
        burst = Math.min(cap, burst + 1 / burst);
        const step = refusedRate === Infinity ? COARSE_GROWTH : 1.01;
        ratePerMs = Math.max(ratePerMs, Math.min(ratePerMs * step, refusedRate * COARSE_PACE));
        return;
      }
      if (learnedFromDelays && bound > 0) {
        // The vendor's retry delays pinned its rate down: grow back to it after a 429, never past it.
        burst = Math.min(cap, burst + 1 / burst);
        ratePerMs = Math.max(ratePerMs, Math.min(bound, ratePerMs * 1.05));
        return;
      }
      faster(bound);
      if (slowStart) {
        // Each success frees its own place and half of one more: the window grows 1.5× per round
        // trip (not 2×), as every overshoot of a limit nobody stated costs the 429s already in flight.
        burst = Math.min(cap, burst + 1);
        level = Math.min(burst, level + 1.5);
        faster(ratePerMs * 1.1);
      } else {
        burst = Math.min(cap, burst + 1 / burst);
        faster(ratePerMs * 1.05);
      }
    },
    drain(t) {
      // A 429: whatever the headers proved, the vendor had nothing for us. Pace afresh from empty.
      level = Math.min(levelNow(t), 0);
      anchor = undefined;
    },
    observe(stated, remaining, resetMs, t, timing = {}) {
      refill(t);
      // A key's stated limit above the admin's (set under it on purpose, e.g. for other users of the key) is not taken.
      const limit = stated === undefined ? undefined : Math.min(stated, ceiling.cap);
      if (stated !== undefined && stated > 0 && stated !== statedCap) {
        statedCap = stated;
        evidence.reset(statedCap);
        anchor = undefined;
      }
      if (limit !== undefined && limit > 0 && limit !== cap) {
        // A configured pace scales with the limit; a guessed one says nothing about the window.
        if (!guessed) [ratePerMs, fullRate] = [(ratePerMs * limit) / cap, (fullRate * limit) / cap];
        cap = limit;
        est.reset();
        provable = 0;
      }
      if (limit !== undefined && limit > 0) [proven, slowStart, burst] = [true, false, cap];
      if (remaining === undefined) return;
      report(remaining, resetMs, t, timing);
      // A guessed pace gives way to the first provable one, even a slower one; after that only proof moves it.
      // A limit nobody set is paced only as fast as its headers prove; an admin's, at the admin's pace
      // unless the headers prove the key slower.
      if (guessed) ratePerMs = bounded(Math.max(floorRate, provable));
      else ratePerMs = bounded(Math.max(ratePerMs, provable));
      fullRate = Math.max(fullRate, ratePerMs);
    },
    get owner(): WaitOwner {
      if (anchor || coarse || learnedFromDelays || exactPoints > 0) return 'vendor';
      if (!guessed) return 'admin';
      if (proven) return 'vendor';
      return probing ? 'cautious' : 'default';
    },
    remember: () => ({ capacity: cap, ratePerMs, burst, proven, slowStart }),
    recall(m, fresh, t, savedAt) {
      refill(t);
      cap = m.capacity;
      statedCap = guessed ? cap : Math.max(statedCap, cap);
      evidence.reset(statedCap);
      anchor = undefined;
      ratePerMs = fresh ? m.ratePerMs : m.ratePerMs / 2;
      fullRate = m.ratePerMs;
      provable = fresh && m.proven ? ratePerMs : 0;
      proven = fresh && m.proven;
      slowStart = !fresh || m.slowStart;
      burst = fresh ? Math.min(cap, m.burst) : Math.max(1, Math.floor(Math.min(cap, m.burst) / 2));
      // Fresh: the vendor's bucket has refilled at least this much since it was saved (empty at worst).
      level = fresh ? Math.min(burst, Math.max(level, Math.max(0, t - savedAt) * ratePerMs)) : Math.min(level, burst);
    },
  };
}
