import type { LimitWindow, RateLimitSnapshot } from '../../src/shared/provider-spec.ts';
import { msUntil, parseDuration, type HeaderLike } from './durations.ts';

type Dimension = keyof RateLimitSnapshot;

function readNumber(headers: HeaderLike, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** How a reset was stated: its rounding, and whether it counts from the vendor's count (a duration). */
type ResetForm = Pick<LimitWindow, 'resetFromCount' | 'resetSlackMs'>;

function window(limit?: number, remaining?: number, resetMs?: number, form: ResetForm = {}): LimitWindow | undefined {
  if (limit === undefined && remaining === undefined && resetMs === undefined) return undefined;
  const w: LimitWindow = {};
  if (limit !== undefined) w.limit = limit;
  if (remaining !== undefined) w.remaining = remaining;
  if (resetMs !== undefined) Object.assign(w, { resetMs }, form);
  return w;
}

/** An RFC 3339 instant is rounded up to its last digit: whole seconds (Anthropic's) hide up to a second. */
function instantSlackMs(instant: string): number {
  const fraction = /\.(\d+)/.exec(instant)?.[1]?.length ?? 0;
  return fraction >= 3 ? 1 : 1000 / 10 ** fraction;
}

/** A duration is exact to its last unit: `250ms` to the millisecond, `1.5s` to 100 ms, `6m0s` to the second. */
function durationSlackMs(text: string): number {
  const t = text.trim();
  if (/ms$|us$|µs$|ns$/.test(t)) return 1;
  const fraction = /\.(\d+)s$/.exec(t)?.[1]?.length ?? 0;
  return Math.max(1, 1000 / 10 ** fraction);
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
      const form = reset ? { resetSlackMs: instantSlackMs(reset) } : {};
      return [dim, window(readNumber(headers, `${p}-limit`), readNumber(headers, `${p}-remaining`), reset ? msUntil(reset, now) : undefined, form)];
    }),
  );
}

/** Parses `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset like "6m0s") so the router can pace a key. */
export function parseOpenAIRateLimits(headers: HeaderLike): RateLimitSnapshot | undefined {
  return snapshot(
    (['requests', 'tokens'] as const).map((dim) => {
      const reset = headers.get(`x-ratelimit-reset-${dim}`);
      const form = reset ? { resetFromCount: true, resetSlackMs: durationSlackMs(reset) } : {};
      const limit = readNumber(headers, `x-ratelimit-limit-${dim}`);
      return [dim, window(limit, readNumber(headers, `x-ratelimit-remaining-${dim}`), reset ? parseDuration(reset) : undefined, form)];
    }),
  );
}
