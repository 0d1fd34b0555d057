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
  /** Holds tokens for work being dispatched. */
  hold(amount: number): void;
  /** The work sent at `sentAt` landed: release its hold and take what it really used. */
  land(held: number, used: number, now: number, sentAt?: number): void;
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
  /** Adopts what the vendor reported: its limit, what remains now, and when it is full again. */
  observe(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, now: number): void;
  remember(): BucketMemory;
  /** Starts from a remembered state: as truth when fresh, else as a cautious hint. */
  recall(m: BucketMemory, fresh: boolean, now: number, savedAt: number): void;
  readonly capacity: number;
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
}

/** The share of a 429's retry delay an unproven bucket paces at (the delay is the most the vendor needs). */
const HINTED_PACE = 0.9;

/** Creates a bucket holding `capacity` tokens that refills fully every `periodMs`; full unless probing. */
export function createTokenBucket(capacity: number, periodMs: number, now: number, opts: BucketOptions = {}): TokenBucket {
  let cap = capacity;
  let ratePerMs = opts.guessed && opts.startRatePerMs ? Math.min(opts.startRatePerMs, capacity / periodMs) : capacity / periodMs;
  /** The rate the limit itself stands for (configured, or scaled by a learned limit): 429s slow below it, successes creep back. */
  let fullRate = ratePerMs;
  const floorRate = 1 / periodMs;
  /** The fastest refill consistent with what the vendor reported (pacing uses the slowest). */
  let fastRate = ratePerMs;
  const guessed = Boolean(opts.guessed);
  let proven = !guessed;
  /** The best lower bound on the vendor's refill that its numbers prove (per ms; 0: none yet). */
  let provable = 0;
  let slowStart = guessed && Boolean(opts.probe);
  let burst = slowStart ? 1 : cap;
  let level = burst;
  let pending = 0;
  let at = now;
  /** The pace comes from the exact points of 429 retry delays (a vendor without limit headers). */
  let learnedFromDelays = false;
  /** Exact points (ends of 429 retry delays) in the refill estimate, and the longest delay heard. */
  let exactPoints = 0;
  let longestHint = 0;
  /** When a 429's retry delay ends: the vendor then has (at least) one request for us. */
  let creditAt: number | undefined;
  const est = createRefillEstimate();
  const refill = (t: number) => {
    if (t > at) {
      level = Math.max(level, Math.min(burst, level + (t - at) * ratePerMs));
      at = t;
    }
    if (creditAt !== undefined && t >= creditAt) {
      level = Math.max(level, Math.min(burst, 1));
      creditAt = undefined;
    }
  };
  /** An admin's limit is a ceiling: headers and successes may slow the pace below it, never lift it above. */
  const ceiling = guessed ? { cap: Infinity, rate: Infinity } : { cap: capacity, rate: capacity / periodMs };
  const faster = (r: number) => {
    ratePerMs = Math.min(ceiling.rate, Math.max(ratePerMs, r));
    fullRate = Math.max(fullRate, ratePerMs);
    fastRate = Math.max(fastRate, ratePerMs);
  };
  /** A wait of `byRefill`, or less when a 429's retry delay promised a request sooner. */
  const withCredit = (amount: number, byRefill: number, t: number) =>
    creditAt === undefined ? byRefill : Math.min(byRefill, Math.max(0, creditAt - t) + Math.max(0, amount - (1 - pending)) / ratePerMs);
  /**
   * A 429 from a vendor without limit headers that said when one more request is allowed: at
   * `t + hintMs` its bucket holds exactly one, an exact point for the refill estimate. Two such
   * points and the calls let through between them give the vendor's rate. Until then the lane
   * paces just under one request per longest delay heard (the vendor needs at most that per
   * request). A `stale` 429 (of a call sent before the lane last slowed) only adds its delay.
   */
  const throttleHinted = (t: number, hintMs: number, stale: boolean) => {
    longestHint = Math.max(longestHint, hintMs);
    if (!stale) {
      // A 429 at a pace the estimate proved means the estimate is wrong (the limit changed): start over.
      if (exactPoints >= 2 && ratePerMs <= est.best) [exactPoints, longestHint] = [0, hintMs];
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
  return {
    get capacity() {
      return cap;
    },
    available(t) {
      refill(t);
      return level - pending;
    },
    waitFor(amount, t) {
      refill(t);
      const need = Math.min(amount, cap) - (level - pending);
      if (need <= 0) return 0;
      if (level + need > burst) return Infinity;
      return Math.ceil(withCredit(Math.min(amount, cap), need / ratePerMs, t));
    },
    fits(amount) {
      return !proven || amount <= cap;
    },
    soonestMs(amount, t) {
      refill(t);
      if (!proven) return 0;
      return Math.max(0, (amount - (level - pending)) / Math.max(ratePerMs, fastRate));
    },
    deficitMs(amount, t) {
      refill(t);
      return withCredit(amount, Math.max(0, (amount - (level - pending)) / ratePerMs), t);
    },
    hold(amount) {
      pending += amount;
    },
    land(held, used, t, sentAt) {
      refill(t);
      pending = Math.max(0, pending - held);
      level -= used;
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
        ratePerMs = Math.min(fullRate, ratePerMs * 1.05);
        return;
      }
      const bound = est.point(t, 0, Infinity);
      level = Math.max(level, 0); // it let this call through: it had a token for it
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
      refill(t);
      level = Math.min(level, 0);
    },
    observe(stated, remaining, resetMs, t) {
      refill(t);
      // A key's stated limit above the admin's (set under it on purpose, e.g. for other users of the key) is not taken.
      const limit = stated === undefined ? undefined : Math.min(stated, ceiling.cap);
      if (limit !== undefined && limit > 0 && limit !== cap) {
        // A configured pace scales with the limit; a guessed one says nothing about the window.
        if (!guessed) [ratePerMs, fullRate, fastRate] = [(ratePerMs * limit) / cap, (fullRate * limit) / cap, (fastRate * limit) / cap];
        cap = limit;
        est.reset();
        provable = 0;
      }
      if (limit !== undefined && limit > 0) [proven, slowStart, burst] = [true, false, cap];
      if (remaining === undefined) return;
      // The vendor's count is the truth, both ways: a later response may reveal more room.
      level = Math.min(burst, remaining);
      provable = Math.max(provable, est.point(t, remaining, remaining + 1));
      // At most `cap - remaining` tokens refill in `reset`: the fastest the vendor can be.
      if (resetMs !== undefined && resetMs > 0 && remaining < cap) fastRate = Math.max(fastRate, (cap - remaining) / resetMs);
      // `remaining` is rounded down and `reset` up, so (cap - remaining - 1) / reset is the
      // slowest rate consistent with both: never faster than the vendor really is.
      if (resetMs !== undefined && resetMs > 0 && remaining + 1 < cap) provable = Math.max(provable, (cap - remaining - 1) / resetMs);
      // A guessed pace gives way to the first provable one, even a slower one; after that only proof moves it.
      if (guessed && provable > 0) ratePerMs = provable;
      else faster(provable);
      fastRate = Math.max(fastRate, ratePerMs);
    },
    remember: () => ({ capacity: cap, ratePerMs, burst, proven, slowStart }),
    recall(m, fresh, t, savedAt) {
      refill(t);
      cap = m.capacity;
      ratePerMs = fresh ? m.ratePerMs : m.ratePerMs / 2;
      fullRate = m.ratePerMs;
      provable = fresh && m.proven ? ratePerMs : 0;
      fastRate = Math.max(ratePerMs, m.ratePerMs);
      proven = fresh && m.proven;
      slowStart = !fresh || m.slowStart;
      burst = fresh ? Math.min(cap, m.burst) : Math.max(1, Math.floor(Math.min(cap, m.burst) / 2));
      // Fresh: the vendor's bucket has refilled at least this much since it was saved (empty at worst).
      level = fresh ? Math.min(burst, Math.max(level, Math.max(0, t - savedAt) * ratePerMs)) : Math.min(level, burst);
    },
  };
}
