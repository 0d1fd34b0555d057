/** Requests one link may make per minute before it is answered 429. */
export const LINK_REQUESTS_PER_MINUTE = 30;
const WINDOW_MS = 60_000;

/** Counts requests per link in fixed one-minute windows; the counts are dropped as each window ends, so memory stays bounded. */
export interface LinkRateLimit {
  /** Counts one request for `link`; false once it is past its allowance this minute. */
  allow(link: string): boolean;
}

export function createLinkRateLimit(o: { now: () => number; perMinute?: number }): LinkRateLimit {
  const max = o.perMinute ?? LINK_REQUESTS_PER_MINUTE;
  const counts = new Map<string, number>();
  let window = -1;
  return {
    allow(link) {
      const w = Math.floor(o.now() / WINDOW_MS);
      if (w !== window) {
        counts.clear();
        window = w;
      }
      const n = (counts.get(link) ?? 0) + 1;
      counts.set(link, n);
      return n <= max;
    },
  };
}
