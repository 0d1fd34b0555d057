import { describe, expect, it } from 'vitest';
import { createBucketState, logSend } from '../../src/pacing/bucket-state.ts';
import { createDelayLearning } from '../../src/pacing/delay-learning.ts';
import { createReportAnchor, observeLimits } from '../../src/pacing/report-anchor.ts';

describe('the report anchor', () => {
  it('GIVEN a report on a limit nobody set THEN it paces by what remained, less each call sent after the counted one', () => {
    const s = createBucketState(10, 60_000, 0, { guessed: true });
    const anchor = createReportAnchor(s);
    const counted = logSend(s, 1, 0);
    expect(anchor.present).toBe(false);
    logSend(s, 1, 10);
    observeLimits(s, anchor, { stated: 10, remaining: 6, resetMs: 60_000, timing: { sentAt: 0, seq: counted } }, 20);
    expect(anchor.present && anchor.paces).toBe(true);
    expect(Math.floor(anchor.level(20))).toBe(5);
    anchor.forget();
    expect(anchor.present).toBe(false);
  });

  it("GIVEN an admin's limit THEN the report restarts the paced level but does not pace the bucket", () => {
    const s = createBucketState(10, 60_000, 0, {});
    const anchor = createReportAnchor(s);
    observeLimits(s, anchor, { stated: 10, remaining: 3, resetMs: 60_000, timing: { sentAt: 0, seq: logSend(s, 1, 0) } }, 0);
    expect(anchor.paces).toBe(false);
    expect(s.level).toBe(3);
  });
});

describe('the delay learning', () => {
  it('GIVEN a 429 with an exact retry delay on an unproven limit THEN the vendor is heard and the pace is just under one per delay', () => {
    const s = createBucketState(50, 60_000, 0, { guessed: true, probe: true });
    const learning = createDelayLearning(s);
    expect(learning.heard).toBe(false);
    learning.throttle(0, 250, false);
    expect(learning.heard).toBe(true);
    expect(s.ratePerMs).toBeCloseTo(0.9 / 250);
    expect(s.creditAt).toBe(250);
  });

  it('GIVEN successes before any 429 THEN the burst grows by one a success (slow start)', () => {
    const s = createBucketState(50, 60_000, 0, { guessed: true, probe: true });
    const learning = createDelayLearning(s);
    learning.relax(0);
    learning.relax(0);
    expect(s.burst).toBe(3);
    expect(learning.heard).toBe(false);
  });
});
