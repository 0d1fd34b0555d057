import type { FakeRateLimit } from './types.ts';
import type { LimitState, LimitWindowState } from './wire.ts';

/** The limiter's verdict on one request, with the state to advertise in headers. */
export interface Admission {
  ok: boolean;
  retryAfterMs: number;
  state: LimitState;
}

/**
 * Per-key limits in one of two shapes. `bucket` (default): token buckets refilled continuously, as
 * Anthropic documents its limits; each holds `limit` (the requests bucket: `requestsCapacity`, when
 * set) and refills `limit` per window; `reset` is when it is full again. `fixed-window`: counts per
 * window aligned to multiples of `windowMs` on the limiter's clock, reset at the boundary.
 */
export interface FakeRateLimiter {
  admit(apiKey: string, inputTokens: number, now: number): Admission;
  recordOutput(apiKey: string, outputTokens: number, now: number): void;
  /** Requests refused (429), and how many of those came after the key's first admitted request. */
  refusals(): { total: number; afterFirstAnswer: number };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A bucket holding `limit` that refills `perWindow` every `windowMs` (default: `limit`, the vendors' usual shape). */
function createBuckets(limit: number, windowMs: number, perWindow = limit) {
  const rate = perWindow / windowMs;
  const byKey = new Map<string, Bucket>();
  const get = (key: string, now: number): Bucket => {
    const b = byKey.get(key) ?? { tokens: limit, at: now };
    b.tokens = Math.min(limit, b.tokens + (now - b.at) * rate);
    b.at = now;
    byKey.set(key, b);
    return b;
  };
  return {
    has: (key: string, n: number, now: number) => get(key, now).tokens >= Math.min(n, limit),
    take: (key: string, n: number, now: number) => void (get(key, now).tokens -= n),
    waitMs: (key: string, n: number, now: number) => Math.max(0, Math.ceil((Math.min(n, limit) - get(key, now).tokens) / rate)),
    state: (key: string, now: number): LimitWindowState => {
      const t = get(key, now).tokens;
      return { limit, remaining: Math.max(0, Math.floor(t)), resetMs: Math.ceil((limit - t) / rate) };
    },
  };
}

/** Counts per key in windows aligned to multiples of `windowMs`: `limit` a window, all back at the boundary. */
function createFixedWindows(limit: number, windowMs: number) {
  const byKey = new Map<string, { start: number; used: number }>();
  const get = (key: string, now: number) => {
    const start = Math.floor(now / windowMs) * windowMs;
    const w = byKey.get(key);
    if (w?.start === start) return w;
    const fresh = { start, used: 0 };
    byKey.set(key, fresh);
    return fresh;
  };
  const has = (key: string, n: number, now: number) => limit - get(key, now).used >= Math.min(n, limit);
  const toBoundary = (key: string, now: number) => get(key, now).start + windowMs - now;
  return {
    has,
    take: (key: string, n: number, now: number) => void (get(key, now).used += n),
    waitMs: (key: string, n: number, now: number) => (has(key, n, now) ? 0 : toBoundary(key, now)),
    state: (key: string, now: number): LimitWindowState => ({
      limit,
      remaining: Math.max(0, Math.floor(limit - get(key, now).used)),
      resetMs: toBoundary(key, now),
    }),
  };
}

/** Creates a limiter enforcing requests and, optionally, input and output tokens per window. */
export function createFakeRateLimiter(cfg: FakeRateLimit): FakeRateLimiter {
  const fixed = cfg.shape === 'fixed-window';
  const windows = (limit: number) => (fixed ? createFixedWindows(limit, cfg.windowMs) : createBuckets(limit, cfg.windowMs));
  const requests = fixed ? windows(cfg.requests) : createBuckets(cfg.requestsCapacity ?? cfg.requests, cfg.windowMs, cfg.requests);
  const input = cfg.inputTokens === undefined ? undefined : windows(cfg.inputTokens);
  const output = cfg.outputTokens === undefined ? undefined : windows(cfg.outputTokens);
  const stateOf = (key: string, now: number): LimitState => ({
    requests: requests.state(key, now),
    ...(input ? { inputTokens: input.state(key, now) } : {}),
    ...(output ? { outputTokens: output.state(key, now) } : {}),
  });
  const answered = new Set<string>();
  const refused = { total: 0, afterFirstAnswer: 0 };
  return {
    refusals: () => ({ ...refused }),
    admit(key, inputTokens, now) {
      const ok = requests.has(key, 1, now) && (!input || input.has(key, inputTokens, now)) && (!output || output.has(key, 1, now));
      if (!ok) [refused.total, refused.afterFirstAnswer] = [refused.total + 1, refused.afterFirstAnswer + (answered.has(key) ? 1 : 0)];
      if (ok) {
        answered.add(key);
        requests.take(key, 1, now);
        input?.take(key, inputTokens, now);
      }
      const retryAfterMs = ok ? 0 : Math.max(requests.waitMs(key, 1, now), input?.waitMs(key, inputTokens, now) ?? 0, output?.waitMs(key, 1, now) ?? 0);
      return { ok, retryAfterMs, state: stateOf(key, now) };
    },
    recordOutput(key, outputTokens, now) {
      output?.take(key, outputTokens, now);
    },
  };
}
