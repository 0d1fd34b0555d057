import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaceKey, SharedLimits, SharedPace } from '../../src/pacing/shared-pace.ts';

/** A shared pace under test, made fresh for each case, with a lease of `leaseMs`. */
export interface SharedPaceUnderTest {
  make(leaseMs: number): Promise<SharedPace>;
  /** Removes whatever the case left behind (its keys). */
  cleanup(): Promise<void>;
}

/** An epoch-sized start, so the implementations' number handling meets real clock values. */
const T0 = Date.parse('2026-11-30T18:00:00Z');
const LEASE_MS = 150_000;
const MINUTE = 60_000;
const key: PaceKey = { ws: 'slack:T1', pace: 'openai|gpt-6-luna' };

/** `rpm` requests and `tpm` tokens a minute, `concurrency` at once. */
function limits(rpm: number, tpm: number, concurrency = 100): SharedLimits {
  return { concurrency, buckets: { requests: { capacity: rpm, ratePerMs: rpm / MINUTE }, tokens: { capacity: tpm, ratePerMs: tpm / MINUTE } } };
}

/** The behaviour every shared pace must have (memory reference and Redis scripts alike). */
export function sharedPaceContract(name: string, under: SharedPaceUnderTest): void {
  describe(`shared pace contract: ${name}`, () => {
    let pace: SharedPace;
    beforeEach(async () => void (pace = await under.make(LEASE_MS)));
    afterEach(async () => {
      await pace.close();
      await under.cleanup();
    });
    const admit = (need: { requests: number; tokens: number }, lim = limits(2, 1000), at = T0) => pace.admit(key, need, lim, at);

    it("admits up to a bucket's capacity, then says how long its refill takes and which bucket binds", async () => {
      expect((await admit({ requests: 1, tokens: 10 })).ok).toBe(true);
      expect((await admit({ requests: 1, tokens: 10 })).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 10 })).toEqual({ ok: false, waitMs: 30_000, why: 'requests' });
      expect((await admit({ requests: 1, tokens: 10 }, limits(2, 1000), T0 + 29_999)).ok).toBe(false);
      expect((await admit({ requests: 1, tokens: 10 }, limits(2, 1000), T0 + 30_000)).ok).toBe(true);
    });

    it('takes all or nothing: a refused call leaves every bucket as it was', async () => {
      expect((await admit({ requests: 1, tokens: 800 })).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 800 })).toMatchObject({ ok: false, why: 'tokens' });
      // The refused call took no request: one more small call still fits.
      expect((await admit({ requests: 1, tokens: 10 })).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 10 })).toMatchObject({ ok: false, why: 'requests' });
    });

    it('caps calls at once by leases, freed by settling', async () => {
      const lim = limits(100, 100_000, 2);
      const a = await admit({ requests: 1, tokens: 1 }, lim);
      expect((await admit({ requests: 1, tokens: 1 }, lim)).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 1 }, lim, T0 + 10)).toEqual({ ok: false, waitMs: LEASE_MS - 10, why: 'concurrency' });
      if (!a.ok) throw new Error('first admission refused');
      await pace.settle(key, a.lease, { requests: 0, tokens: 0 }, lim, T0 + 20);
      expect((await admit({ requests: 1, tokens: 1 }, lim, T0 + 20)).ok).toBe(true);
    });

    it('GIVEN a process died holding a lease THEN the lease frees itself after its TTL', async () => {
      const lim = limits(100, 100_000, 1);
      expect((await admit({ requests: 1, tokens: 1 }, lim)).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 1 }, lim, T0 + LEASE_MS - 1)).toMatchObject({ ok: false, why: 'concurrency' });
      expect((await admit({ requests: 1, tokens: 1 }, lim, T0 + LEASE_MS)).ok).toBe(true);
    });

    it('settles what a call really used: a refund frees room at once, an extra charge takes more', async () => {
      const lim = limits(100, 1000);
      const a = await admit({ requests: 1, tokens: 900 }, lim);
      if (!a.ok) throw new Error('refused');
      expect((await admit({ requests: 1, tokens: 500 }, lim)).ok).toBe(false);
      await pace.settle(key, a.lease, { requests: 0, tokens: -800 }, lim, T0); // it used 100 of its 900
      const b = await admit({ requests: 1, tokens: 500 }, lim);
      if (!b.ok) throw new Error('refund not credited');
      await pace.settle(key, b.lease, { requests: 0, tokens: 500 }, lim, T0); // it used 1000: 100 in debt now
      expect(await admit({ requests: 1, tokens: 100 }, lim)).toEqual({ ok: false, waitMs: 12_000, why: 'tokens' });
    });

    it('never refills past the capacity, and a call larger than it waits for a full bucket', async () => {
      const lim = limits(100, 1000);
      expect((await admit({ requests: 1, tokens: 1000 }, lim, T0 + 10 * MINUTE)).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 5000 }, lim, T0 + 10 * MINUTE)).toEqual({ ok: false, waitMs: MINUTE, why: 'tokens' });
      expect((await admit({ requests: 1, tokens: 5000 }, lim, T0 + 11 * MINUTE)).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 1 }, lim, T0 + 11 * MINUTE)).toEqual({ ok: false, waitMs: 240_060, why: 'tokens' });
    });

    it('pauses every caller of the lane, and only that lane', async () => {
      await pace.pause(key, { untilMs: T0 + 5_000, drainRequests: false }, T0);
      expect(await admit({ requests: 1, tokens: 1 }, limits(100, 1000), T0 + 1_000)).toEqual({ ok: false, waitMs: 4_000, why: 'paused' });
      expect((await pace.admit({ ...key, pace: 'openai' }, { requests: 1 }, limits(100, 1000), T0)).ok).toBe(true);
      expect((await pace.admit({ ...key, ws: 'slack:T2' }, { requests: 1 }, limits(100, 1000), T0)).ok).toBe(true);
      await pace.pause(key, { untilMs: T0 + 2_000, drainRequests: false }, T0 + 1_000); // a shorter pause never shortens one
      expect(await admit({ requests: 1, tokens: 1 }, limits(100, 1000), T0 + 4_999)).toMatchObject({ ok: false, why: 'paused' });
      expect((await admit({ requests: 1, tokens: 1 }, limits(100, 1000), T0 + 5_000)).ok).toBe(true);
    });

    it('GIVEN a 429 drains the request bucket THEN after the pause one call goes, then they wait for its refill', async () => {
      await pace.pause(key, { untilMs: T0 + 1_000, drainRequests: true }, T0);
      // 60 a minute: one per second, refilling since the 429, on top of the one its retry-after promised.
      for (let i = 0; i < 2; i++) expect((await admit({ requests: 1, tokens: 1 }, limits(60, 1000), T0 + 1_000)).ok).toBe(true);
      expect(await admit({ requests: 1, tokens: 1 }, limits(60, 1000), T0 + 1_000)).toEqual({ ok: false, waitMs: 1_000, why: 'requests' });
    });

    it('GIVEN a caller whose clock is behind THEN it gets no refill for time others already counted', async () => {
      const lim = limits(60, 1000);
      for (let i = 0; i < 60; i++) expect((await admit({ requests: 1, tokens: 1 }, lim, T0 + 10_000)).ok).toBe(true);
      // Ten seconds behind: to it the bucket was emptied "in the future"; it waits as if at the frontier.
      expect(await admit({ requests: 1, tokens: 1 }, lim, T0)).toEqual({ ok: false, waitMs: 1_000, why: 'requests' });
      expect((await admit({ requests: 1, tokens: 1 }, lim, T0 + 11_000)).ok).toBe(true);
    });

    it('enforces only the buckets the caller names', async () => {
      const lim: SharedLimits = { concurrency: 5, buckets: { requests: { capacity: 1, ratePerMs: 1 / MINUTE } } };
      expect((await pace.admit(key, { requests: 1 }, lim, T0)).ok).toBe(true);
      expect(await pace.admit(key, { requests: 1 }, lim, T0)).toEqual({ ok: false, waitMs: MINUTE, why: 'requests' });
    });
  });
}
