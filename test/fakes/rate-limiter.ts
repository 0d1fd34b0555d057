import type { FakeRateLimit } from './types.ts';
import type { LimitState, LimitWindowState } from './wire.ts';

interface KeyWindow {
  startedAt: number;
  requests: number;
  input: number;
  output: number;
}

/** The limiter's verdict on one request, with the state to advertise in headers. */
export interface Admission {
  ok: boolean;
  retryAfterMs: number;
  state: LimitState;
}

/** A per-key fixed-window limiter, like the vendors' per-minute limits but with a test-sized window. */
export interface FakeRateLimiter {
  admit(apiKey: string, inputTokens: number, now: number): Admission;
  recordOutput(apiKey: string, outputTokens: number): void;
}

function windowState(limit: number, used: number, resetMs: number): LimitWindowState {
  return { limit, remaining: Math.max(0, limit - used), resetMs };
}

/** Creates a limiter enforcing requests and, optionally, input and output tokens per window. */
export function createFakeRateLimiter(cfg: FakeRateLimit): FakeRateLimiter {
  const windows = new Map<string, KeyWindow>();
  const current = (apiKey: string, now: number): KeyWindow => {
    const w = windows.get(apiKey);
    if (w && now - w.startedAt < cfg.windowMs) return w;
    const fresh = { startedAt: now, requests: 0, input: 0, output: 0 };
    windows.set(apiKey, fresh);
    return fresh;
  };
  const stateOf = (w: KeyWindow, now: number): LimitState => {
    const resetMs = Math.max(0, w.startedAt + cfg.windowMs - now);
    const s: LimitState = { requests: windowState(cfg.requests, w.requests, resetMs) };
    if (cfg.inputTokens !== undefined) s.inputTokens = windowState(cfg.inputTokens, w.input, resetMs);
    if (cfg.outputTokens !== undefined) s.outputTokens = windowState(cfg.outputTokens, w.output, resetMs);
    return s;
  };
  return {
    admit(apiKey, inputTokens, now) {
      const w = current(apiKey, now);
      const over =
        w.requests + 1 > cfg.requests ||
        (cfg.inputTokens !== undefined && w.input + inputTokens > cfg.inputTokens) ||
        (cfg.outputTokens !== undefined && w.output >= cfg.outputTokens);
      if (!over) {
        w.requests += 1;
        w.input += inputTokens;
      }
      const state = stateOf(w, now);
      return { ok: !over, retryAfterMs: state.requests.resetMs, state };
    },
    recordOutput(apiKey, outputTokens) {
      const w = windows.get(apiKey);
      if (w) w.output += outputTokens;
    },
  };
}
