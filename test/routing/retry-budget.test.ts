import { describe, expect, it } from 'vitest';
import { createRetryBudget } from '../../src/routing/retry-budget.ts';
import { DEFAULT_BACKOFF } from '../../src/routing/backoff.ts';

describe('retry budget', () => {
  it('starts at the first failure and does not count rate-limit waits', () => {
    const b = createRetryBudget(0, DEFAULT_BACKOFF);
    expect(b.failureLeft(5_000)).toBe(Infinity);
    b.failed(5_000);
    expect(b.failureLeft(6_000)).toBe(14_000);
    b.excuse(10_000);
    expect(b.failureLeft(16_000)).toBe(14_000);
    expect(b.rateDeadline()).toBe(120_000);
    b.called(3_000);
    expect(b.rateDeadline()).toBe(123_000);
  });
});
