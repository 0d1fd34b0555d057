/**
 * A continuously refilling token bucket, the model Anthropic documents for its limits and a
 * conservative one for OpenAI's. Capacity and refill can be corrected from response headers.
 */
export interface TokenBucket {
  /** Tokens available at `now` (may be negative after a correction). */
  available(now: number): number;
  /** Milliseconds until `amount` tokens are available (0 when they already are). */
  waitFor(amount: number, now: number): number;
  take(amount: number, now: number): void;
  /** Returns tokens taken in excess of what was used (e.g. max_tokens vs real output). */
  refund(amount: number, now: number): void;
  /** Adopts what the vendor reported: its limit, what remains now, and when it is full again. */
  observe(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, now: number, inFlight: number): void;
  readonly capacity: number;
}

/** Creates a bucket holding `capacity` tokens that refills fully every `periodMs`. */
export function createTokenBucket(capacity: number, periodMs: number, now: number): TokenBucket {
  let cap = capacity;
  let ratePerMs = capacity / periodMs;
  let tokens = capacity;
  let at = now;
  const refill = (t: number) => {
    if (t > at) {
      tokens = Math.min(cap, tokens + (t - at) * ratePerMs);
      at = t;
    }
  };
  return {
    get capacity() {
      return cap;
    },
    available(t) {
      refill(t);
      return tokens;
    },
    waitFor(amount, t) {
      refill(t);
      const need = Math.min(amount, cap) - tokens;
      return need <= 0 ? 0 : Math.ceil(need / ratePerMs);
    },
    take(amount, t) {
      refill(t);
      tokens -= amount;
    },
    refund(amount, t) {
      refill(t);
      tokens = Math.min(cap, tokens + amount);
    },
    observe(limit, remaining, resetMs, t, inFlight) {
      refill(t);
      if (limit !== undefined && limit > 0 && limit !== cap) {
        ratePerMs = (ratePerMs * limit) / cap;
        cap = limit;
        tokens = Math.min(tokens, cap);
      }
      if (remaining === undefined) return;
      // Requests still in flight may not be counted in `remaining` yet: stay below it.
      const vendorSays = remaining - inFlight;
      if (vendorSays < tokens) tokens = vendorSays;
      if (resetMs !== undefined && resetMs > 0 && remaining < cap) {
        // Refill at the vendor's pace: full again exactly at its reset time.
        ratePerMs = (cap - remaining) / resetMs;
      }
    },
  };
}
