import { describe, expect, it } from 'vitest';
import { allowedAfterFirst, chosen, idealMs, limitOf, SHAPES, shapeId } from '../../bench/lanes-shapes.ts';

const shape = (name: string) => SHAPES.find((s) => s.name === name)!;
const FIXED_SECOND = shape('4 per fixed 1-s window');
const FIXED_MINUTE = shape('10 per fixed minute');
const BUCKET_MINUTE = shape('capacity 10 per minute');
/** A whole minute on the clock. */
const MINUTE = Date.UTC(2026, 11, 1, 14, 0, 0);

describe('the lanes matrix limit shapes (no timing)', () => {
  it('GIVEN a filter THEN a fixed window is named with an f, apart from the bucket of the same capacity', () => {
    expect(SHAPES.map(shapeId)).toEqual(['2', '4', '60', '10', 'f4', 'f10']);
    expect(chosen(FIXED_MINUTE, 20, 'f10/20, 4/1000')).toBe(true);
    expect(chosen(BUCKET_MINUTE, 20, 'f10/20, 4/1000')).toBe(false);
    expect(chosen(FIXED_SECOND, 1000, 'f10/20, 4/1000')).toBe(false);
    expect(chosen(FIXED_SECOND, 1000, undefined)).toBe(true);
  });

  it('GIVEN a fixed window THEN the fake counts `capacity` per window, not a bucket', () => {
    expect(limitOf(FIXED_MINUTE)).toMatchObject({ requests: 10, windowMs: 60_000, shape: 'fixed-window' });
    expect(limitOf(BUCKET_MINUTE)).toMatchObject({ requests: 10 / 60, requestsCapacity: 10, windowMs: 1000 });
  });

  it('GIVEN a burst sent into a fixed window THEN the ideal waits for the boundaries after it', () => {
    // 60 jobs, 30 a minute over three keys: this window's 30 at once, the rest at the next boundary.
    expect(idealMs(FIXED_MINUTE, 3, 20, 60, MINUTE + 15_000)).toBe(45_020);
    // One key: 10 now, then 5 more windows, the last starting four minutes after the first boundary.
    expect(idealMs(FIXED_MINUTE, 1, 20, 60, MINUTE)).toBe(300_020);
    expect(idealMs(FIXED_SECOND, 3, 1000, 60, MINUTE + 400)).toBe(600 + 3000 + 1000);
    expect(idealMs(BUCKET_MINUTE, 3, 20, 60, MINUTE + 15_000)).toBeCloseTo(60_020);
  });

  it('GIVEN the time after the first second THEN a fixed window allows its count at each boundary in it, a bucket its refill', () => {
    expect(allowedAfterFirst(FIXED_SECOND, 3, 20, 3_620, MINUTE + 400)).toBe(36);
    expect(allowedAfterFirst(FIXED_MINUTE, 3, 20, 45_020, MINUTE + 15_000)).toBe(30);
    expect(allowedAfterFirst(FIXED_MINUTE, 3, 20, 30_000, MINUTE + 15_000)).toBeUndefined();
    expect(allowedAfterFirst(BUCKET_MINUTE, 3, 20, 61_020, MINUTE)).toBeCloseTo(30);
    expect(allowedAfterFirst(FIXED_SECOND, 3, 20, 900, MINUTE)).toBeUndefined();
  });
});
