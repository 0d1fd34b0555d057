import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { createTokenBucket } from '../../src/pacing/token-bucket.ts';
import { createPacer, PacerBusyError, PacerFullError } from '../../src/pacing/pacer.ts';

const small = { inputTokens: 10, outputTokens: 10 };

describe('token bucket', () => {
  it('refills continuously, from when work was sent, and adopts what the vendor reports', () => {
    const b = createTokenBucket(60, 60_000, 0, { guessed: true });
    b.hold(60, 0);
    expect(b.available(0)).toBe(0);
    // The vendor counted the calls when they arrived: its bucket refills from then, answered or not.
    expect(b.waitFor(1, 0)).toBe(1000);
    b.land(60, 60, 0);
    expect(b.available(30_000)).toBeCloseTo(30);
    b.observe(120, 10, 5_000, 30_000); // vendor: limit 120, 10 left, full again in 5 s
    expect(b.capacity).toBe(120);
    expect(b.available(30_000)).toBe(10);
    expect(b.available(35_000)).toBeGreaterThanOrEqual(119); // full by the reset, at the latest
    expect(b.available(36_000)).toBe(120);
  });

  it("GIVEN a limit an admin set under the key's THEN a larger stated limit, headers and successes never lift the pace above it", () => {
    const b = createTokenBucket(38, 2_000, 0);
    b.observe(40, 40, 2_000, 0); // the key's own limit, stated in headers
    expect(b.capacity).toBe(38);
    b.observe(40, 0, 50, 0); // none left, full again in 50 ms: a refill far faster than the admin's
    expect(b.available(1_000)).toBeCloseTo(19); // 38 per 2 s, not 40
    b.observe(20, 5, 2_000, 1_000); // a lower limit from the vendor is taken
    expect(b.capacity).toBe(20);
  });

  it('GIVEN work answered later than it was sent THEN the bucket has refilled since the sending', () => {
    const b = createTokenBucket(4, 1000, 0);
    b.hold(4, 0);
    b.land(4, 4, 300); // the vendor counted the calls on arrival, and its bucket refilled while they ran
    expect(b.available(300)).toBeCloseTo(1.2);
    expect(b.available(550)).toBeCloseTo(2.2);
  });
});

describe('vendor paces', () => {
  it('GIVEN an RPM limit THEN work waits for headroom instead of firing', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ rpm: 2, concurrency: 10, itpm: undefined, otpm: undefined, tpm: undefined }) });
    const granted: number[] = [];
    const tickets = [0, 1, 2, 3].map((i) => lanes.acquire('w', 'anthropic', small).then((t) => (granted.push(i), t.release(small), t)));
    await clock.advance(0);
    expect(granted).toEqual([0, 1]);
    await clock.advance(29_999);
    expect(granted).toEqual([0, 1]);
    await clock.advance(1);
    expect(granted).toEqual([0, 1, 2]);
    await clock.advance(30_000);
    expect(granted).toEqual([0, 1, 2, 3]);
    await Promise.all(tickets);
  });

  it('GIVEN a concurrency cap THEN the next job starts when one is released', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ concurrency: 1 }) });
    const first = await lanes.acquire('w', 'openai', small);
    let second = false;
    const p = lanes.acquire('w', 'openai', small).then((t) => ((second = true), t));
    await clock.advance(10);
    expect(second).toBe(false);
    first.release({ inputTokens: 5, outputTokens: 5 });
    (await p).release();
    expect(second).toBe(true);
  });

  it('GIVEN a retry-after pause THEN nothing is dispatched until it ends, and a short waiter is told the pace is busy', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock });
    lanes.pause('w', 'google', 7_000);
    expect(lanes.headroom('w', 'google', small)).toBe(0);
    await expect(lanes.acquire('w', 'google', small, { maxWaitMs: 1_000 })).rejects.toBeInstanceOf(PacerBusyError);
    let got = false;
    const p = lanes.acquire('w', 'google', small).then((t) => ((got = true), t));
    await clock.advance(6_999);
    expect(got).toBe(false);
    await clock.advance(1);
    (await p).release();
    expect(got).toBe(true);
  });

  it('GIVEN rate-limit headers THEN the pace learns the real limit', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ rpm: 1000, concurrency: 50 }) });
    const t = await lanes.acquire('w', 'openai', small);
    t.release(small, { requests: { limit: 3, remaining: 0, resetMs: 60_000 } });
    await expect(lanes.acquire('w', 'openai', small, { maxWaitMs: 5_000 })).rejects.toBeInstanceOf(PacerBusyError);
  });

  it('GIVEN equal paces THEN headroom drops as work is queued on one vendor', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ rpm: 500 }) });
    const before = lanes.headroom('w', 'openai', small);
    const t = await lanes.acquire('w', 'openai', small);
    expect(lanes.headroom('w', 'openai', small)).toBeLessThan(before);
    expect(lanes.headroom('w', 'anthropic', small)).toBeGreaterThan(lanes.headroom('w', 'openai', small));
    t.release();
  });
});

describe('a job waiting in several paces at once', () => {
  const busy = { rpm: 2, concurrency: 1, itpm: undefined, otpm: undefined, tpm: undefined };

  it('GIVEN two busy paces THEN the one that frees first takes the job, and the job leaves the other', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => busy });
    const [a, b] = [await lanes.acquire('w', 'anthropic', small), await lanes.acquire('w', 'openai', small)];
    let got: string | undefined;
    const p = lanes.acquireAny('w', ['anthropic', 'openai'], small).then((g) => ((got = g.vendor), g));
    await clock.advance(0);
    expect([lanes.stats('w', 'anthropic').queued, lanes.stats('w', 'openai').queued]).toEqual([1, 1]);
    b.release(small);
    await clock.advance(0);
    expect(got).toBe('openai');
    expect([lanes.stats('w', 'anthropic').queued, lanes.stats('w', 'openai').queued]).toEqual([0, 0]);
    a.release(small);
    (await p).ticket.release(small);
    expect(lanes.stats('w', 'anthropic').inFlight).toBe(0);
  });

  it('GIVEN jobs queued in two paces THEN each pace counts half of each, so its estimate sees its share of the queue', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ ...busy, concurrency: 10 }) });
    const held = await Promise.all(['anthropic', 'anthropic', 'openai', 'openai'].map((v) => lanes.acquire('w', v as 'openai', small)));
    const queued = Array.from({ length: 4 }, () => lanes.acquireAny('w', ['anthropic', 'openai'], small));
    // Two pace-jobs ahead (four halves) plus this one: 3 requests at 2 per minute.
    expect(lanes.expectedWaitMs('w', 'anthropic', small)).toBe(90_000);
    for (const t of held) t.release(small);
    await clock.advance(120_000);
    for (const g of await Promise.all(queued)) g.ticket.release(small);
  });

  it('GIVEN the caller cancels THEN the job leaves every pace; GIVEN the deadline passes THEN it fails once, with the soonest retry', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => busy });
    const held = [await lanes.acquire('w', 'anthropic', small), await lanes.acquire('w', 'openai', small)];
    const stop = new AbortController();
    const cancelled = lanes.acquireAny('w', ['anthropic', 'openai'], small, { signal: stop.signal });
    stop.abort(new Error('gone'));
    await expect(cancelled).rejects.toThrow('gone');
    expect([lanes.stats('w', 'anthropic').queued, lanes.stats('w', 'openai').queued]).toEqual([0, 0]);
    const late = lanes.acquireAny('w', ['anthropic', 'openai'], small, { deadline: clock.now() + 1_000 });
    const failure = late.catch((e: unknown) => e);
    await clock.advance(1_001);
    expect(await failure).toBeInstanceOf(PacerFullError);
    expect([lanes.stats('w', 'anthropic').queued, lanes.stats('w', 'openai').queued]).toEqual([0, 0]);
    for (const t of held) t.release(small);
  });
});

describe('a pace per model', () => {
  it("GIVEN headers stating one model's limit THEN only that model's pace follows them; the vendor's stats add its paces up", async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock });
    const luna = { vendor: 'openai', model: 'gpt-6-luna' } as const;
    const sol = { vendor: 'openai', model: 'gpt-6.2-sol' } as const;
    const t = await lanes.acquire('w', luna, small);
    // Empty, refilling to 10 within a minute: at least 9 a minute, about 6.7 s for the next one.
    t.release(small, { requests: { limit: 10, remaining: 0, resetMs: 60_000 } });
    expect(lanes.expectedWaitMs('w', luna, small)).toBeGreaterThan(5_000);
    expect(lanes.expectedWaitMs('w', sol, small)).toBe(0);
    const held = await lanes.acquire('w', sol, small);
    expect(lanes.stats('w', 'openai')).toMatchObject({ inFlight: 1, queued: 0 });
    const waiting = lanes.acquire('w', luna, small);
    expect(lanes.stats('w', 'openai')).toMatchObject({ inFlight: 1, queued: 1 });
    held.release(small);
    await clock.advance(60_000);
    (await waiting).release(small);
  });
});
