import type { LimitWindow, RateLimitSnapshot } from '../../src/types.ts';
import { msUntil, parseDuration, type HeaderLike } from './durations.ts';

type Dimension = keyof RateLimitSnapshot;

function readNumber(headers: HeaderLike, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function window(limit?: number, remaining?: number, resetMs?: number): LimitWindow | undefined {
  if (limit === undefined && remaining === undefined && resetMs === undefined) return undefined;
  const w: LimitWindow = {};
  if (limit !== undefined) w.limit = limit;
  if (remaining !== undefined) w.remaining = remaining;
  if (resetMs !== undefined) w.resetMs = resetMs;
  return w;
}

function snapshot(entries: Array<[Dimension, LimitWindow | undefined]>): RateLimitSnapshot | undefined {
  const out: RateLimitSnapshot = {};
  for (const [dim, w] of entries) if (w) out[dim] = w;
  return Object.keys(out).length > 0 ? out : undefined;
}

const ANTHROPIC_DIMENSIONS: Array<[Dimension, string]> = [
  ['requests', 'requests'],
  ['tokens', 'tokens'],
  ['inputTokens', 'input-tokens'],
  ['outputTokens', 'output-tokens'],
];

/** Parses `anthropic-ratelimit-{dim}-{limit,remaining,reset}` (reset is RFC 3339) so the router can pace a key. */
export function parseAnthropicRateLimits(headers: HeaderLike, now: number): RateLimitSnapshot | undefined {
  return snapshot(
    ANTHROPIC_DIMENSIONS.map(([dim, wire]) => {
      const p = `anthropic-ratelimit-${wire}`;
      const reset = headers.get(`${p}-reset`);
      return [dim, window(readNumber(headers, `${p}-limit`), readNumber(headers, `${p}-remaining`), reset ? msUntil(reset, now) : undefined)];
    }),
  );
}

/** Parses `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset like "6m0s") so the router can pace a key. */
export function parseOpenAIRateLimits(headers: HeaderLike): RateLimitSnapshot | undefined {
  return snapshot(
    (['requests', 'tokens'] as const).map((dim) => {
      const reset = headers.get(`x-ratelimit-reset-${dim}`);
      return [
        dim,
        window(readNumber(headers, `x-ratelimit-limit-${dim}`), readNumber(headers, `x-ratelimit-remaining-${dim}`), reset ? parseDuration(reset) : undefined),
      ];
    }),
  );
}
