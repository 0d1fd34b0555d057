import { describe, expect, it } from 'vitest';
import { idealMs, simulateBurst, type LimitShape, type SimRun } from '../helpers/lane-sim.ts';

/**
 * The router and its paces against keys limited in the shapes vendors really use, on a manual
 * clock (minutes of limits in milliseconds): a small bucket refilling fast, a per-second window, a
 * large bucket refilling slowly, a per-minute limit. Anthropic and OpenAI state their limits in
 * headers exactly as they do (an RFC 3339 instant to the second; a duration); Gemini states none.
 */
const SHAPES: [string, LimitShape][] = [
  ['capacity 2 refilling 4/s', { capacity: 2, perSecond: 4 }],
  ['capacity 4 per second', { capacity: 4, perSecond: 4 }],
  ['capacity 60 refilling 1/s', { capacity: 60, perSecond: 1 }],
  ['capacity 10 a minute', { capacity: 10, perSecond: 10 / 60 }],
];

/** The most later-asked jobs that started before a job on the same vendor. */
function overtaking(r: SimRun): number {
  let most = 0;
  for (const starts of Object.values(r.starts)) {
    const first = [...new Set(starts)]; // a job retried after a 429 keeps its first place
    for (const [i, job] of first.entries()) most = Math.max(most, first.slice(0, i).filter((j) => j > job).length);
  }
  return most;
}

describe('pacing that holds for any limit shape', () => {
  it('GIVEN a key whose capacity covers the burst THEN Hive\u2019s ceiling of calls at once grows while they succeed', async () => {
    const r = await simulateBurst({ shape: { capacity: 60, perSecond: 1 }, vendors: ['openai'], jobs: 60, latencyMs: 1000 });
    expect(r.refusals.openai?.total ?? 0).toBe(0);
    // Held at 8 at once this would take 8 s: the ceiling doubles each round of answers instead.
    expect(r.ms).toBeLessThan(6_000);
  });

  it.each(SHAPES)('GIVEN one OpenAI key limited as %s THEN a 60-job burst runs near the ideal, in order, with no 429', async (_name, shape) => {
    for (const latencyMs of [20, 1000]) {
      const r = await simulateBurst({ shape, vendors: ['openai'], jobs: 60, latencyMs });
      expect(r.refusals.openai?.afterFirst ?? 0, `429s at ${latencyMs} ms`).toBe(0);
      expect(overtaking(r), `overtaking at ${latencyMs} ms`).toBe(0);
      // Where the key's rate binds (not its capacity, nor the two-minute deadline) the burst runs near the ideal.
      const ideal = idealMs({ shape, jobs: 60, latencyMs }, 1);
      if (ideal > 2_000 && ideal < 100_000) {
        expect(r.answered).toBe(60);
        // A second in flight leaves what the vendor counted uncertain by the calls sent meanwhile.
        expect(r.ms / ideal, `time vs ideal at ${latencyMs} ms`).toBeLessThan(latencyMs > 100 ? 1.6 : 1.1);
      }
    }
  });

  it.each(SHAPES)(
    'GIVEN three keys limited as %s THEN the headers\u2019 vendors are never refused after their first answer, and no job is overtaken past the paces',
    async (_name, shape) => {
      for (const latencyMs of [20, 1000]) {
        const r = await simulateBurst({ shape, vendors: ['anthropic', 'google', 'openai'], jobs: 60, latencyMs });
        expect(r.answered).toBe(60);
        expect((r.refusals.anthropic?.afterFirst ?? 0) + (r.refusals.openai?.afterFirst ?? 0), `429s at ${latencyMs} ms`).toBe(0);
        expect(Object.values(r.perVendor).every((n) => n > 0)).toBe(true);
        expect(overtaking(r)).toBeLessThanOrEqual(8); // Hive's default ceiling of calls at once on a lane
      }
    },
  );

  it('GIVEN an OpenAI key allowing 6 requests a minute THEN 5 piped jobs meet no 429, answer in order, and each wait note comes true within half', async () => {
    const r = await simulateBurst({ shape: { capacity: 1, perSecond: 0.1 }, vendors: ['openai'], jobs: 5, latencyMs: 100 });
    expect(r.refusals.openai?.total ?? 0).toBe(0);
    expect(r.finished).toEqual([0, 1, 2, 3, 4]);
    const vendorWaits = r.notices.filter((n) => n.notice.owner === 'vendor');
    expect(vendorWaits.length).toBeGreaterThan(0);
    for (const n of vendorWaits) {
      expect(n.notice.text).toMatch(/^Waiting for OpenAI's rate limit, about \d+ s$/);
      const waited = r.startedAt[n.job]! - n.at;
      expect(waited, n.notice.text).toBeGreaterThanOrEqual(n.notice.waitMs * 0.5);
      expect(waited, n.notice.text).toBeLessThanOrEqual(n.notice.waitMs * 1.5);
    }
  });

  it('GIVEN a fresh install and a vendor that never limited anything THEN the first waits are Hive\u2019s own cautious start, not the vendor\u2019s', async () => {
    const r = await simulateBurst({ shape: { capacity: 1000, perSecond: 100 }, vendors: ['openai'], jobs: 8, latencyMs: 20 });
    expect(r.refusals.openai?.total ?? 0).toBe(0);
    expect(r.notices.length).toBeGreaterThan(0);
    for (const n of r.notices) expect(n.notice.text).toBe("Hive is starting gently with OpenAI while it learns this key's limits");
  });

  it('GIVEN an admin\u2019s limit below the key\u2019s THEN waits name the admin\u2019s limit', async () => {
    const r = await simulateBurst({
      shape: { capacity: 100, perSecond: 10 },
      vendors: ['openai'],
      jobs: 8,
      latencyMs: 20,
      overrides: { openai: { rpm: 1, concurrency: 8 } },
    });
    expect(r.notices.map((n) => n.notice.text)[0]).toMatch(/^Waiting for the limit an admin set for OpenAI, about \d+ (s|min)$/);
  });
});
