/**
 * The few operations that must be atomic in the backend itself (dedupe claims, budget counters),
 * which Keyv's get/set cannot express. Counters are integers (money in nano-dollars).
 */
export interface AtomicOps {
  /** Set-if-absent with an expiry: true only for the first caller while the claim lives. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Adds `delta` to a counter unless the result would pass `cap`; returns the new value, or
   * `undefined` when refused. A negative delta (release, settle) always applies.
   */
  addWithin(key: string, delta: number, cap?: number): Promise<number | undefined>;
  /** Adds to several counters at once, unconditionally (settling, uncapped spend). */
  addMany(entries: readonly [key: string, delta: number][]): Promise<void>;
  read(key: string): Promise<number>;
  /** Drops expired claims. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** In-process implementation, for `memory://` stores and tests. */
export function createMemoryAtomic(now: () => number = Date.now): AtomicOps {
  const claims = new Map<string, number>();
  const counters = new Map<string, number>();
  return {
    async claim(key, ttlMs) {
      const t = now();
      const exp = claims.get(key);
      if (exp !== undefined && exp > t) return false;
      claims.set(key, t + ttlMs);
      return true;
    },
    async addWithin(key, delta, cap) {
      const next = (counters.get(key) ?? 0) + delta;
      if (cap !== undefined && delta > 0 && next > cap) return undefined;
      counters.set(key, next);
      return next;
    },
    async addMany(entries) {
      for (const [k, d] of entries) counters.set(k, (counters.get(k) ?? 0) + d);
    },
    async read(key) {
      return counters.get(key) ?? 0;
    },
    async sweep() {
      const t = now();
      for (const [k, exp] of claims) if (exp <= t) claims.delete(k);
    },
    async close() {},
  };
}
