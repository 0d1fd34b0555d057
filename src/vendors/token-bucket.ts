/**
 * A continuously refilling token bucket, the model Anthropic documents for its limits and a
 * conservative one for OpenAI's. Work in flight is held as `pending` and only taken from the
 * level when it lands: the vendor counts a request when it arrives, which is at the latest when
 * its response comes back, so refill is never credited for time the vendor's bucket sat full.
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
  /** The work landed: release its hold and take what it really used. */
  land(held: number, used: number, now: number): void;
  /** Empties the bucket (a 429 said there is nothing left). */
  drain(now: number): void;
  /**
   * A 429 the vendor did not explain with headers: our pace was too fast, so refill at half the
   * rate (never below one token per period), until successes `relax` it back.
   */
  throttle(now: number): void;
  /** A success without limit headers: creep 5% back towards the limit's own rate. */
  relax(now: number): void;
  /** Adopts what the vendor reported: its limit, what remains now, and when it is full again. */
  observe(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, now: number): void;
  readonly capacity: number;
}

/** Creates a full bucket holding `capacity` tokens that refills fully every `periodMs`. */
export function createTokenBucket(capacity: number, periodMs: number, now: number): TokenBucket {
  let cap = capacity;
  let ratePerMs = capacity / periodMs;
  /** The rate the limit itself stands for (configured, or scaled by a learned limit). */
  let fullRate = ratePerMs;
  const floorRate = 1 / periodMs;
  /** The fastest refill consistent with what the vendor reported (pacing uses the slowest). */
  let fastRate = ratePerMs;
  let level = capacity;
  let pending = 0;
  let at = now;
  const refill = (t: number) => {
    if (t > at) {
      level = Math.min(cap, level + (t - at) * ratePerMs);
      at = t;
    }
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
      if (level + need > cap) return Infinity;
      return Math.ceil(need / ratePerMs);
    },
    fits(amount) {
      return amount <= cap;
    },
    soonestMs(amount, t) {
      refill(t);
      return Math.max(0, (amount - (level - pending)) / Math.max(ratePerMs, fastRate));
    },
    deficitMs(amount, t) {
      refill(t);
      return Math.max(0, (amount - (level - pending)) / ratePerMs);
    },
    hold(amount) {
      pending += amount;
    },
    land(held, used, t) {
      refill(t);
      pending = Math.max(0, pending - held);
      level -= used;
    },
    throttle(t) {
      refill(t);
      ratePerMs = Math.max(Math.min(floorRate, fullRate), ratePerMs * 0.7);
    },
    relax(t) {
      refill(t);
      ratePerMs = Math.min(fullRate, ratePerMs * 1.05);
    },
    drain(t) {
      refill(t);
      level = Math.min(level, 0);
    },
    observe(limit, remaining, resetMs, t) {
      refill(t);
      if (limit !== undefined && limit > 0 && limit !== cap) {
        ratePerMs = (ratePerMs * limit) / cap;
        fullRate = (fullRate * limit) / cap;
        fastRate = (fastRate * limit) / cap;
        cap = limit;
        level = Math.min(level, cap);
      }
      if (remaining === undefined) return;
      level = Math.min(level, remaining);
      // At most `cap - remaining` tokens refill in `reset`: the fastest the vendor can be.
      if (resetMs !== undefined && resetMs > 0 && remaining < cap) fastRate = Math.max(ratePerMs, (cap - remaining) / resetMs);
      if (resetMs !== undefined && resetMs > 0 && remaining + 1 < cap) {
        // A reset sooner than our pace says the vendor refills faster (e.g. a shorter window).
        // `remaining` is rounded down and `reset` up, so (cap - remaining - 1) / reset is the
        // slowest rate consistent with both: never faster than the vendor really is.
        ratePerMs = Math.max(ratePerMs, (cap - remaining - 1) / resetMs);
        fullRate = Math.max(fullRate, ratePerMs);
      }
    },
  };
}
