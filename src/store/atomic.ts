/**
 * Dedupe claims, which must be atomic in the keyed store's backend itself (shared by every replica)
 * and which Keyv's get/set cannot express. Budget counters live in the log store's books.
 */
export interface AtomicOps {
  /** Set-if-absent with an expiry: true only for the first caller while the claim lives. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Drops expired claims. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** In-process implementation, for `memory://` stores and tests. */
export function createMemoryAtomic(now: () => number = Date.now): AtomicOps {
  const claims = new Map<string, number>();
  return {
    async claim(key, ttlMs) {
      const t = now();
      const exp = claims.get(key);
      if (exp !== undefined && exp > t) return false;
      claims.set(key, t + ttlMs);
      return true;
    },
    async sweep() {
      const t = now();
      for (const [k, exp] of claims) if (exp <= t) claims.delete(k);
    },
    async close() {},
  };
}
