import type { FakeRateLimit } from '../test/fakes/types.ts';

/**
 * A key's limit: a bucket holding `capacity` requests that refills `perSecond` a second, or (with
 * `fixedWindowMs`) `capacity` requests per window aligned to the wall clock, all back at its end.
 */
export interface Shape {
  name: string;
  capacity: number;
  perSecond: number;
  fixedWindowMs?: number;
}

/** The limit shapes the matrix runs, buckets first, then the fixed windows many APIs count in. */
export const SHAPES: readonly Shape[] = [
  { name: 'capacity 2, refilling 4/s', capacity: 2, perSecond: 4 },
  { name: 'capacity 4, refilling 4/s', capacity: 4, perSecond: 4 },
  { name: 'capacity 60, refilling 1/s', capacity: 60, perSecond: 1 },
  { name: 'capacity 10 per minute', capacity: 10, perSecond: 10 / 60 },
  { name: '4 per fixed 1-s window', capacity: 4, perSecond: 4, fixedWindowMs: 1000 },
  { name: '10 per fixed minute', capacity: 10, perSecond: 10 / 60, fixedWindowMs: 60_000 },
];

/** The fake's limit as its rate limiter takes it: refilled per second holding `capacity`, or fixed windows. */
export function limitOf(s: Shape): FakeRateLimit {
  const tokens = { inputTokens: 1e9, outputTokens: 1e9 };
  if (s.fixedWindowMs !== undefined) return { requests: s.capacity, windowMs: s.fixedWindowMs, shape: 'fixed-window', ...tokens };
  return { requests: s.perSecond, requestsCapacity: s.capacity, windowMs: 1000, ...tokens };
}

/** The shape's name in `HIVE_BENCH_SHAPES`: its capacity, `f` before it for a fixed window (`f4`, `f10`). */
export const shapeId = (s: Shape): string => `${s.fixedWindowMs !== undefined ? 'f' : ''}${s.capacity}`;

/** `HIVE_BENCH_SHAPES=2/1000,60/20,f10/20` runs only those shape/latency pairs (all when unset). */
export function chosen(shape: Shape, latencyMs: number, filter = process.env.HIVE_BENCH_SHAPES): boolean {
  const want = filter?.split(',').map((w) => w.trim());
  return !want?.length || want.includes(`${shapeId(shape)}/${latencyMs}`);
}

/**
 * The fastest a burst can go, plus one answer's latency: a bucket's capacity at once, then its refill;
 * a fixed window's capacity at once, then a full window's at each boundary after `sentAt` (epoch ms).
 */
export function idealMs(shape: Shape, keys: number, latencyMs: number, jobs: number, sentAt: number): number {
  const perKey = shape.capacity * keys;
  const w = shape.fixedWindowMs;
  if (w === undefined) return (Math.max(0, jobs - perKey) / (shape.perSecond * keys)) * 1000 + latencyMs;
  const windows = Math.ceil(jobs / perKey);
  return windows <= 1 ? latencyMs : w - (sentAt % w) + (windows - 2) * w + latencyMs;
}

/**
 * Calls the summed limits allowed to start after the burst's first second, up to the last answer's
 * start (`endMs` less one latency): a bucket's refill over that time; a fixed window's full count at
 * each boundary in it. Undefined when that time is empty or holds no boundary.
 */
export function allowedAfterFirst(shape: Shape, keys: number, latencyMs: number, endMs: number, sentAt: number): number | undefined {
  const span = endMs - 1000 - latencyMs;
  if (span <= 0) return undefined;
  const w = shape.fixedWindowMs;
  if (w === undefined) return (span / 1000) * shape.perSecond * keys;
  const from = sentAt + 1000;
  const boundaries = Math.floor((from + span) / w) - Math.floor(from / w);
  return boundaries > 0 ? boundaries * shape.capacity * keys : undefined;
}
