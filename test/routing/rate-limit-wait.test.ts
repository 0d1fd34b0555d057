import { afterEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/shared/clock.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import { startDrivenHarness, type DrivenHarness } from '../helpers/driven-harness.ts';
import type { Harness, HarnessOptions } from '../helpers/hive-harness.ts';

const START = Date.UTC(2026, 11, 1, 14, 0, 0);
let h: Harness | undefined;
let running: DrivenHarness | undefined;
afterEach(async () => {
  await running?.close();
  h = running = undefined;
});

/** A whole bot on a manual clock that jumps to the next wait whenever no vendor call is in flight. */
async function start(vendors: (now: () => number) => HarnessOptions['vendors']): Promise<{ h: Harness; clock: ManualClock }> {
  running = await startDrivenHarness(START, vendors);
  h = running.h;
  return { h, clock: running.clock };
}

/** Each key: a burst of 2, then 1 request per second (the fake's token bucket, on the bot's clock). */
const burst2 = (v: Vendor, clock: () => number) => ({
  now: clock,
  rateLimit: { requests: 2, windowMs: 2000 },
  respond: () => ({ text: `ok from ${v}`, usage: { input: 30, output: 5 } }),
});

/** Runs one chat line like a platform with a progress line; collects the progress notes. */
function ask(hv: Harness, line: string, notes: string[] = []): Promise<Reply> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line)!;
  return new Promise<Reply>((resolve) => {
    const inv: Invocation = {
      platform: 'test',
      workspaceId: 'local',
      channelId: 'C-pace',
      userId: 'U-pace',
      command: m[1]!,
      text: m[2]!,
      isAdmin: async () => true,
      respond: async (r) => resolve(r),
      progress: async (p) => void notes.push(p.text),
    };
    void hv.hive.dispatcher.handle(inv);
  });
}

const generates = (hv: Harness, v: Vendor) => hv.vendors[v]!.requests.filter((r) => r.model).length;

describe('rate-limited jobs wait for their lane, within a deadline, and say so', () => {
  it('GIVEN three keys each limited to a burst of 2 and 1/s THEN all 30 concurrent jobs are answered', async () => {
    const { h } = await start((now) => ({ anthropic: burst2('anthropic', now), google: burst2('google', now), openai: burst2('openai', now) }));
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => ask(h, `/ask --cheap question ${i}`)));
    expect(replies.filter((r) => r.tone === 'error').map((r) => r.text)).toEqual([]);
    expect(replies.map((r) => r.text).every((t) => /^ok from (anthropic|google|openai)$/.test(t))).toBe(true);
    // The first burst meets limits Hive does not know yet (8 at once per vendor against a burst of 2:
    // up to 18 429s); after it, the lanes keep to what the headers and the 429s taught them.
    const limited = (['anthropic', 'google', 'openai'] as const).reduce((n, v) => n + generates(h, v), 0) - 30;
    expect(limited).toBeLessThanOrEqual(24);
  }, 60_000);

  it('GIVEN 300 jobs on default limits against a vendor without limit headers THEN each is answered or refused with when to retry, and every long wait is announced', async () => {
    const { h, clock } = await start((now) => ({
      google: { now, rateLimit: { requests: 60, windowMs: 60_000 }, respond: () => ({ text: 'ok from google', usage: { input: 30, output: 5 } }) },
    }));
    const jobs = Array.from({ length: 300 }, async (_, i) => {
      const notes: string[] = [];
      const t0 = clock.now();
      const r = await ask(h, `/ask --model google:gemini-2.5-flash-lite question ${i}`, notes);
      return { r, notes: notes.filter((n) => n.startsWith('Waiting')), waited: clock.now() - t0 };
    });
    const done = await Promise.all(jobs);
    for (const { r, notes, waited } of done) {
      if (r.tone === 'error')
        expect(r.text).toMatch(/^Google Gemini's rate limit for this workspace is full for about \d+ (s|min); try again after \d\d:\d\d UTC/);
      else expect(r.text).toBe('ok from google');
      if (waited > 4_000) expect(notes.length).toBeGreaterThan(0); // nobody waits long without a word
      expect(waited).toBeLessThanOrEqual(120_000 + 30_000); // the deadline, plus at most one call's retry-after
    }
    // 60 at once, then 1/s until the 2-minute deadline: close to the 180 the key allows in that time.
    expect(done.filter((d) => d.r.tone !== 'error').length).toBeGreaterThanOrEqual(150);
  }, 60_000);

  it("GIVEN a lane that must queue jobs for seconds THEN each waiting job's progress line says whose limit and about how long", async () => {
    const { h } = await start(() => ({ openai: () => ({ text: 'ok from openai' }) }));
    await h.run('/hive lanes limits openai rpm=6 concurrency=10');
    const notes = Array.from({ length: 8 }, () => [] as string[]);
    const replies = await Promise.all(notes.map((n, i) => ask(h, `/ask --model openai:gpt-6-luna question ${i}`, n)));
    expect(replies.map((r) => r.text)).toEqual(Array(8).fill('ok from openai'));
    const waits = notes.map((n) => n.filter((t) => t.startsWith('Waiting')));
    expect(waits.filter((w) => w.length === 0)).toHaveLength(6); // six start at once
    // The admin's limit holds them back, not OpenAI's (which never refused anything): the note says so.
    expect(waits.flat().sort()).toEqual([
      'Waiting for the limit an admin set for OpenAI, about 10 s…',
      'Waiting for the limit an admin set for OpenAI, about 20 s…',
    ]);
  });

  it('GIVEN 429s with retry-after more times than the per-vendor attempts THEN the job keeps waiting as told and is answered', async () => {
    let seen = 0;
    const { h, clock } = await start(() => ({
      anthropic: (req: FakeRequest): FakeBehaviour => (req.model && seen++ < 5 ? { status: 429, retryAfterMs: 4_000 } : { text: 'from anthropic' }),
    }));
    const notes: string[] = [];
    const r = await ask(h, '/ask --cheap what is 6x7', notes);
    expect(r.text).toBe('from anthropic');
    expect(generates(h, 'anthropic')).toBe(6);
    expect(clock.now() - START).toBeGreaterThanOrEqual(5 * 4_000); // every retry-after honoured
    expect(notes).toContain("Waiting for Anthropic's rate limit, about 4 s…");
  });

  it('GIVEN a retry-after beyond the deadline THEN the job is refused at once with when to retry and how to raise the limit', async () => {
    const { h, clock } = await start(() => ({ openai: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 429, retryAfterMs: 180_000 } : {}) }));
    const r = await ask(h, '/ask --model openai:gpt-6-luna hi');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(
      /^OpenAI's rate limit for this workspace is full for about 3 min; try again after 14:03 UTC, or an admin can raise the limit with `\/hive lanes limits openai rpm=…`/,
    );
    expect(generates(h, 'openai')).toBe(1);
    expect(clock.now()).toBe(START);
  });

  it('GIVEN a queue longer than the deadline THEN the jobs that cannot start in time are refused at once, the rest answered', async () => {
    const { h, clock } = await start(() => ({ openai: () => ({ text: 'ok from openai' }) }));
    await h.run('/hive lanes limits openai rpm=1 concurrency=10');
    const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => ask(h, `/ask --model openai:gpt-6-luna q${i}`)));
    const refused = replies.filter((r) => r.tone === 'error');
    expect(replies.filter((r) => r.text === 'ok from openai')).toHaveLength(3); // now, in 1 min, in 2 min
    expect(refused).toHaveLength(2);
    for (const r of refused)
      expect(r.text).toMatch(/full for about [34] min; try again after 14:0[34] UTC, .*`\/hive lanes limits openai rpm=…` \(now rpm 1\)/);
    expect(clock.now() - START).toBeLessThanOrEqual(120_000 + 1_000);
  });

  it.each([
    [
      'tpm=1',
      'openai',
      'openai:gpt-6-luna',
      /tpm 1, so it can never run\. An admin can raise it with `\/hive lanes limits openai tpm=\d+` or more, or shorten the question\./,
    ],
    [
      'itpm=5',
      'anthropic',
      'anthropic:claude-haiku-4-5',
      /input tokens at once, but Anthropic's limit for this workspace is itpm 5, so it can never run\..*itpm=\d+/,
    ],
  ] as const)(
    'GIVEN a pinned model on a lane limited to %s THEN the job is refused at once with the reason and the fix',
    async (limit, vendor, model, message) => {
      const { h, clock } = await start(() => ({ [vendor]: () => ({ text: 'never' }) }));
      await h.run(`/hive lanes limits ${vendor} ${limit}`);
      const r = await ask(h, `/ask --model ${model} explain the difference between a mutex and a semaphore, with examples`);
      expect(r.tone).toBe('error');
      expect(r.text).toMatch(message);
      expect(generates(h, vendor)).toBe(0);
      expect(clock.now()).toBe(START);
    },
  );

  it('GIVEN every vendor failing, some asking to come back in 30 s THEN the user hears back within 15 s of clock time', async () => {
    const { h, clock } = await start(() => ({
      anthropic: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 529, retryAfterMs: 30_000 } : {}),
      openai: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 503, retryAfterMs: 30_000 } : {}),
      google: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 503, retryAfterMs: 30_000 } : {}),
    }));
    const r = await ask(h, '/ask --cheap what is 6x7');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/^No model in the cheap lane could answer \(.*\)\. Try again shortly\./);
    expect(clock.now() - START).toBeLessThanOrEqual(15_000);
  });

  it('GIVEN every vendor answering 500 THEN retries and fallback all fit in the 15 s failure budget', async () => {
    const { h, clock } = await start(() => ({
      anthropic: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 500 } : {}),
      openai: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 500 } : {}),
      google: (req: FakeRequest): FakeBehaviour => (req.model ? { status: 500 } : {}),
    }));
    await h.run('/hive lanes set cheap anthropic:claude-haiku-4-5,openai:gpt-6-luna,google:gemini-2.5-flash-lite');
    const r = await ask(h, '/ask --cheap what is 6x7');
    expect(r.tone).toBe('error');
    expect(generates(h, 'anthropic') + generates(h, 'openai') + generates(h, 'google')).toBeGreaterThan(3); // it did retry
    expect(clock.now() - START).toBeLessThanOrEqual(15_000);
  });
});
