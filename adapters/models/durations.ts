/** The part of `Headers` we read, so plain objects can stand in for it in tests. */
export interface HeaderLike {
  get(name: string): string | null;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
const DURATION = /^(\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/;
const PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

/**
 * Parses Go-style and protobuf-JSON durations ("6m0s", "1.5s", "120ms", "7s") into
 * milliseconds, since OpenAI's reset headers and Gemini's RetryInfo both use them.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return Math.round(ms);
}

/** Parses an RFC 3339 instant into milliseconds from `now`, never negative. */
export function msUntil(instant: string, now: number): number | undefined {
  const at = Date.parse(instant);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Reads the standard retry hints in the order the SDKs honour them: `retry-after-ms`,
 * then `retry-after` as seconds or an HTTP date.
 */
export function parseRetryAfter(headers: HeaderLike | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  return msUntil(raw, now);
}
