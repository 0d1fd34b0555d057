/** A small expiring cache for a platform's answers worth reusing (e.g. "is this user an admin?"). */
export interface AnswerCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
}

export interface AnswerCacheOptions {
  /** How long an answer is reused. */
  ttlMs: number;
  /** Entries kept at most; expired entries go first, then the oldest. */
  maxEntries?: number;
  now?: () => number;
}

/** Bounded by entries and age, so a stream of distinct keys never grows memory without limit. */
export function createAnswerCache<V>(o: AnswerCacheOptions): AnswerCache<V> {
  const max = o.maxEntries ?? 10_000;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { value: V; until: number }>();
  const evict = () => {
    const t = now();
    for (const [k, v] of cache) if (v.until <= t) cache.delete(k);
    while (cache.size >= max) cache.delete(cache.keys().next().value!);
  };
  return {
    get(key) {
      const hit = cache.get(key);
      return hit && hit.until > now() ? hit.value : undefined;
    },
    set(key, value) {
      if (cache.size >= max) evict();
      cache.delete(key);
      cache.set(key, { value, until: now() + o.ttlMs });
    },
  };
}
