import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { createPacer } from '../../src/pacing/pacer.ts';
import { createLimitMemory, type PaceMemory } from '../../src/pacing/pacer-memory.ts';
import { createTokenBucket } from '../../src/pacing/token-bucket.ts';

const small = { inputTokens: 10, outputTokens: 10 };
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('pacing that learns', () => {
  it('GIVEN a long wait planned on a first guess THEN a later response revealing more room starts the waiter at once', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ concurrency: 10 }) });
    const first = await lanes.acquire('w', 'openai', small);
    first.release(small, { requests: { limit: 4, remaining: 3, resetMs: 60_000 } });
    const [b, c, d] = await Promise.all([0, 1, 2].map(() => lanes.acquire('w', 'openai', small)));
    b!.release(small, { requests: { limit: 4, remaining: 0, resetMs: 60_000 } }); // "4 per minute?"
    let started = false;
    const waiter = lanes.acquire('w', 'openai', small).then((t) => ((started = true), t));
    await clock.advance(10);
    expect(started).toBe(false);
    expect(lanes.expectedWaitMs('w', 'openai', small)).toBeGreaterThan(10_000); // planned long on the first guess
    c!.release(small, { requests: { limit: 4, remaining: 2, resetMs: 300 } }); // the window is far shorter
    await flush();
    expect(started).toBe(true); // no clock moved: the wait was re-planned, not sat out
    (await waiter).release(small);
    d!.release(small);
  });

  it('GIVEN a retry-after shorter than the planned wait THEN the pace wakes when it ends, not at the old plan', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ concurrency: 10 }) });
    const t = await lanes.acquire('w', 'anthropic', small);
    t.release(small, { requests: { limit: 2, remaining: 0, resetMs: 60_000 } });
    let started = false;
    void lanes.acquire('w', 'anthropic', small).then((x) => ((started = true), x.release(small)));
    await clock.advance(100);
    lanes.pause('w', 'anthropic', 2_000); // a 429 with retry-after 2 s: still no room after it
    await clock.advance(2_000);
    expect(started).toBe(false);
    await clock.advance(60_000);
    expect(started).toBe(true);
  });
});

describe('token bucket learning', () => {
  it('GIVEN a limit nobody set THEN it starts with one call, grows while calls succeed, and halves on a 429 (AIMD)', () => {
    const b = createTokenBucket(150, 60_000, 0, { guessed: true, probe: true, startRatePerMs: 50 / 60_000 });
    expect(b.waitFor(1, 0)).toBe(0);
    b.hold(1);
    expect(b.waitFor(1, 0)).toBe(Infinity); // one call at a time until it answers
    let sent = 1;
    const inFlight: number[] = [0];
    // Slow start: each success lets one more go at once.
    for (let round = 0; round < 4; round++) {
      const landing = inFlight.splice(0);
      for (const at of landing) {
        b.land(1, 1, 10, at);
        b.relax(10);
      }
      while (b.waitFor(1, 10) === 0) {
        b.hold(1);
        inFlight.push(10);
        sent++;
      }
    }
    // About 1.5× per round trip (1, 2, 3, 5): slower than doubling, so a headerless vendor's first
    // burst overshoots its unknown limit by less (each overshoot is 429s already in flight).
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(sent).toBeLessThan(15);
    for (const at of inFlight.splice(0)) b.land(1, 0, 10, at);
    b.drain(10);
    const before = 1 / b.deficitMs(100, 10);
    b.throttle(10);
    const after = 1 / b.deficitMs(100, 10);
    expect(after).toBeLessThan(before * 0.6); // multiplicative decrease
    b.drain(20);
    for (let i = 0; i < 10; i++) b.relax(20);
    b.drain(20);
    expect(1 / b.deficitMs(100, 20)).toBeGreaterThan(after); // and growth again while calls succeed
  });

  it('GIVEN headers THEN the guessed pace gives way to what the vendor numbers prove, and the level follows remaining both ways', () => {
    const b = createTokenBucket(50, 60_000, 0, { guessed: true, probe: true, startRatePerMs: 50 / 60_000 });
    b.hold(1);
    b.land(1, 1, 100, 0);
    b.observe(4, 0, 1_000, 100); // empty, full again in 1 s: at least 3 per second
    expect(b.capacity).toBe(4);
    expect(b.waitFor(1, 100)).toBeLessThanOrEqual(334);
    b.observe(4, 3, 250, 150); // a later response: three are free
    expect(b.available(150)).toBe(3);
  });

  it('GIVEN no headers THEN a 429 anchors the empty bucket and later successes prove a pace (Gemini RetryInfo alone)', () => {
    const b = createTokenBucket(150, 60_000, 0, { guessed: true, probe: true, startRatePerMs: 50 / 60_000 });
    b.throttle(0); // 429 at t=0: fewer than one token left
    for (let i = 1; i <= 8; i++) {
      b.hold(1);
      b.land(1, 1, i * 250, i * 250 - 10);
      b.relax(i * 250);
    }
    // 8 admitted in 2 s after an empty bucket: the vendor refills at least (8 - 1) / 2 s.
    const msPerToken = b.deficitMs(2, 2_000) - b.deficitMs(1, 2_000);
    expect(msPerToken).toBeLessThan(2_025 / 7 + 1);
    expect(msPerToken).toBeGreaterThan(100); // and no faster than it proved (the fake gave 4 per second)
  });
});

describe('a vendor without limit headers, learned from its retry delays', () => {
  /**
   * A simulated vendor: a token bucket of 4 refilling 4 per second, answering 429 with the exact
   * time until its next request (as Gemini's "Please retry in 0.25s") when empty. Hive's bucket
   * sends whenever it says there is room; an answer takes 20 ms.
   */
  function simulate(seconds: number) {
    const RATE = 4 / 1000;
    const vendor = { level: 4, at: 0 };
    const b = createTokenBucket(150, 60_000, 0, { guessed: true, probe: true, startRatePerMs: 50 / 60_000 });
    const sent: { at: number; ok: boolean }[] = [];
    for (let t = 0; t < seconds * 1000; t++) {
      if (b.waitFor(1, t) > 0) continue;
      vendor.level = Math.min(4, vendor.level + (t - vendor.at) * RATE);
      vendor.at = t;
      b.hold(1);
      const ok = vendor.level >= 1;
      if (ok) vendor.level -= 1;
      sent.push({ at: t, ok });
      if (ok) {
        b.land(1, 1, t + 20, t);
        b.relax(t + 20);
      } else {
        // The refusal comes back at once; its delay counts from when the vendor refused.
        b.land(1, 0, t + 1);
        b.throttle(t + 1, Math.ceil((1 - vendor.level) / RATE));
      }
    }
    return sent;
  }

  it('GIVEN 429s that say exactly when the next request is allowed THEN the pace converges on the vendor rate within a handful of 429s', () => {
    const sent = simulate(30);
    const refused = sent.filter((s) => !s.ok);
    expect(refused.length).toBeLessThanOrEqual(5);
    // From the fifth second on, answered requests run at 90% or more of the vendor's 4 per second.
    const later = sent.filter((s) => s.ok && s.at >= 5_000).length / 25;
    expect(later).toBeGreaterThanOrEqual(3.6);
    expect(later).toBeLessThanOrEqual(4.05);
  });
});

describe('whole-second retry delays (Gemini RetryInfo)', () => {
  it('GIVEN a slow key refused with 6 s delays THEN a later "retry in 1s" (the next request is near) does not speed the pace up', () => {
    const b = createTokenBucket(150, 60_000, 0, { guessed: true, probe: true, startRatePerMs: 50 / 60_000 });
    b.throttle(0, 6_000);
    b.land(1, 1, 6_020, 6_000);
    b.relax(6_020);
    b.throttle(12_000, 6_000);
    b.throttle(17_000, 1_000); // sent a little early: one second to go
    const after = b.deficitMs(2, 17_000) - b.deficitMs(1, 17_000);
    // Before, a 1 s delay set the pace to nearly one a second: six times the key's rate, refused again at once.
    expect(after).toBeGreaterThan(5_000);
  });
});

describe('a 429 with an exact retry delay', () => {
  it('GIVEN a headerless pace refused with "retry in 250 ms" THEN its next call goes when the delay ends, not a paced request later', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock });
    (await lanes.acquire('w', 'google', small)).release(small);
    await clock.advance(100);
    lanes.pause('w', 'google', 250, { fromVendor: true, sentAt: 90 });
    // Paced at 0.9 per 250 ms, the next would wait 278 ms; the vendor has one for us at 250.
    expect(lanes.expectedWaitMs('w', 'google', small)).toBe(250);
    let granted = false;
    const next = lanes.acquire('w', 'google', small).then((t) => ((granted = true), t));
    await clock.advance(249);
    expect(granted).toBe(false);
    await clock.advance(1);
    expect(granted).toBe(true);
    (await next).release(small);
  });
});

describe('learned limits survive a restart', () => {
  it('GIVEN limits learned and flushed THEN a new pacer starts from them lazily; stale ones only as a hint', async () => {
    const kv = new Keyv<PaceMemory>();
    const clock = createManualClock(1_000_000);
    const run1 = createPacer({ clock, memory: createLimitMemory({ kv }) });
    const t = await run1.acquire('w', 'openai', small);
    t.release(small, { requests: { limit: 4, remaining: 1, resetMs: 750 } }); // at least 2 per 750 ms
    expect(await kv.get('w|openai')).toBeUndefined(); // written behind, not on the answer path
    await run1.flush();
    const saved = await kv.get('w|openai');
    expect(saved?.buckets.requests).toMatchObject({ capacity: 4, proven: true });
    expect(await kv.get('w|anthropic')).toBeUndefined(); // only lanes that were used

    await clock.advance(2_000);
    const run2 = createPacer({ clock, memory: createLimitMemory({ kv }) });
    const four = await Promise.all([0, 1, 2, 3].map(() => run2.acquire('w', 'openai', small))); // no probing from one call
    expect(four).toHaveLength(4);
    expect(run2.stats('w', 'openai').inFlight).toBe(4);

    await clock.advance(3 * 60 * 60_000);
    const run3 = createPacer({ clock, memory: createLimitMemory({ kv }) });
    const one = await run3.acquire('w', 'openai', small);
    let second = false;
    void run3.acquire('w', 'openai', small).then(() => (second = true));
    await flush();
    expect(second).toBe(false); // a hint: probes again, one call at a time
    one.release(small);
  });
});
