import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { createTokenBucket } from '../../src/pacing/token-bucket.ts';
import { createPacer, PacerFullError, PacerTooSmallError } from '../../src/pacing/pacer.ts';
import { createWaitNotices, type WaitNotice } from '../../src/pacing/wait-notices.ts';

const small = { inputTokens: 10, outputTokens: 10 };

describe('pace deadlines and impossible demands', () => {
  it("GIVEN a demand larger than the pace's whole tpm THEN acquire refuses at once instead of waiting forever", async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ tpm: 1 }) });
    const err = await lanes.acquire('w', 'openai', small).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PacerTooSmallError);
    expect((err as Error).message).toMatch(
      /needs about 20 tokens .* OpenAI's limit for this workspace is tpm 1, so it can never run\. An admin can raise it with `\/hive lanes limits openai tpm=20` or more, or shorten the question\./,
    );
    expect(clock.pending()).toBe(0);
  });

  it('GIVEN max output above the output limit THEN it still runs: vendors count what is really written', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ otpm: 100 }) });
    const t = await lanes.acquire('w', 'anthropic', { inputTokens: 10, outputTokens: 4096 });
    t.release({ inputTokens: 10, outputTokens: 50 });
  });

  it('GIVEN a queue that would start a job after its deadline THEN it is refused at once with the wait and the limit to raise', async () => {
    const clock = createManualClock(Date.UTC(2026, 11, 1, 14, 0, 0));
    const lanes = createPacer({ clock, overrides: () => ({ rpm: 1, concurrency: 10 }) });
    const deadline = clock.now() + 120_000;
    const first = await lanes.acquire('w', 'openai', small, { deadline });
    first.release(small);
    const started: number[] = [];
    const go = (t: { release(u: typeof small): void }) => (started.push(clock.now()), t.release(small));
    const second = lanes.acquire('w', 'openai', small, { deadline }).then(go); // in 1 min
    const third = lanes.acquire('w', 'openai', small, { deadline }).then(go); // in 2 min: just in time
    const err = await lanes.acquire('w', 'openai', small, { deadline }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PacerFullError);
    expect((err as Error).message).toBe(
      "OpenAI's rate limit for this workspace is full for about 3 min; try again after 14:03 UTC, or an admin can raise the limit with `/hive lanes limits openai rpm=…` (now rpm 1).",
    );
    await clock.advance(120_000);
    await Promise.all([second, third]);
    expect(started.map((t) => t - started[0]!)).toEqual([0, 60_000]);
  });

  it('GIVEN a limit learned from headers whose window is unknown THEN jobs are refused only if even the fastest refill the headers allow is too slow', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ concurrency: 100 }) });
    const t = await lanes.acquire('w', 'openai', small);
    t.release(small, { requests: { limit: 4, remaining: 3, resetMs: 62 } }); // 4 per 250 ms, or per minute?
    const queued = Array.from({ length: 60 }, () =>
      lanes.acquire('w', 'openai', small, { deadline: 120_000 }).then(
        (x) => (x.release(small), 'ran'),
        (e: unknown) => e,
      ),
    );
    await clock.advance(0);
    const refusedAtOnce = await Promise.race([Promise.all(queued), new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
    expect(refusedAtOnce).toBe('pending'); // nobody refused on the pessimistic reading
    await clock.advance(121_000);
    const outcomes = await Promise.all(queued);
    expect(outcomes.filter((o) => o === 'ran').length).toBeGreaterThan(0);
    for (const o of outcomes.filter((x) => x !== 'ran')) expect(o).toBeInstanceOf(PacerFullError); // refused at the deadline, not left waiting
  });

  it('GIVEN waiters queued in time THEN a retry-after pause past their deadline releases them with when to retry', async () => {
    const clock = createManualClock();
    const lanes = createPacer({ clock, overrides: () => ({ rpm: 1, concurrency: 10 }) });
    (await lanes.acquire('w', 'google', small)).release(small);
    const estimates: number[] = [];
    const queued = lanes.acquire('w', 'google', small, { deadline: 90_000, onEstimate: (ms) => estimates.push(ms) }).catch((e: unknown) => e);
    lanes.pause('w', 'google', 100_000);
    expect(await queued).toBeInstanceOf(PacerFullError);
    const later = lanes.acquire('w', 'google', small, { deadline: 200_000, onEstimate: (ms) => estimates.push(ms) });
    lanes.pause('w', 'google', 110_000);
    expect(estimates.at(-1)).toBeGreaterThanOrEqual(110_000); // re-estimated after the pause
    await clock.advance(200_000);
    (await later).release(small);
  });

  it('GIVEN an admin lowers a limit below a queued job THEN the job is refused instead of waiting forever', async () => {
    const clock = createManualClock();
    let tpm = 1_000;
    const lanes = createPacer({ clock, overrides: () => ({ tpm, concurrency: 1 }) });
    const held = await lanes.acquire('w', 'openai', small);
    const queued = lanes.acquire('w', 'openai', small).catch((e: unknown) => e);
    tpm = 5;
    lanes.reconfigure('w', 'openai');
    expect(await queued).toBeInstanceOf(PacerTooSmallError);
    held.release(small);
  });
});

describe('token bucket under 429s without headers', () => {
  it('slows its refill after a throttle and creeps back with successes, never past the limit', () => {
    const b = createTokenBucket(60, 60_000, 0);
    b.drain(0);
    b.throttle(0);
    expect(b.waitFor(1, 0)).toBeGreaterThan(1000); // slower than 1/s now
    for (let i = 0; i < 200; i++) b.relax(0);
    expect(b.waitFor(1, 0)).toBe(1000);
    expect(b.fits(60)).toBe(true);
    expect(b.fits(61)).toBe(false);
  });
});

describe('wait notices', () => {
  it('says a long wait at once, and short waits once they add up to the threshold', async () => {
    const clock = createManualClock();
    const told: WaitNotice[] = [];
    const n = createWaitNotices(clock, 3_000, (w) => told.push(w));
    n.begin('openai', 12_000);
    expect(told.map((t) => t.text)).toEqual(["Waiting for OpenAI's rate limit, about 12 s"]);
    await clock.advance(12_000);
    n.end();
    const quiet = createWaitNotices(clock, 3_000, (w) => told.push(w));
    for (let i = 0; i < 2; i++) {
      quiet.begin('google', 1_000);
      await clock.advance(1_000);
      quiet.end();
    }
    expect(told).toHaveLength(1);
    quiet.begin('google', 2_000);
    await clock.advance(1_000);
    expect(told.at(-1)?.text).toBe("Waiting for Google Gemini's rate limit, about 1 s");
    quiet.end();
    expect(clock.pending()).toBe(0);
  });
});
