import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageTarget } from '../../src/chat/chat-adapter.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { schedulerOver } from '../helpers/digest-schedule.ts';
import { lastOccurrence, localDay, nextOccurrence, parseDigestTime, startOffsetMs } from '../../src/digest/schedule.ts';
import { CH, WS, channelAt, startDigestBot, type DigestBot } from './harness.ts';

const HOUR = 3_600_000;
/** 2026-12-01 08:00 UTC is 09:00 in Paris. */
const NINE_PARIS = Date.parse('2026-12-01T08:00:00Z');

/** A fake clock the bots and schedulers share. */
function clockAt(t: number) {
  const c = { t, now: () => c.t };
  return c;
}

/** A scheduler over a bot (one process), posting into `posts`. */
function schedulerOf(bot: DigestBot, now: () => number, posts: { target: MessageTarget; reply: Reply }[]) {
  return schedulerOver(bot.hive, 'slack', now, async (target, reply) => void posts.push({ target, reply }));
}

describe('digest schedule arithmetic', () => {
  it('GIVEN a local time and zone THEN occurrences follow the zone, daylight saving included, and bad input is refused with the format', () => {
    const t = parseDigestTime('9:00', 'Europe/Paris');
    expect(t.time).toBe('09:00');
    expect(lastOccurrence(t, new Date(NINE_PARIS + 1)).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(nextOccurrence(t, new Date(NINE_PARIS)).toISOString()).toBe('2026-12-02T08:00:00.000Z');
    // Summer time: 09:00 in Paris is 07:00 UTC.
    expect(nextOccurrence(t, new Date('2026-07-01T00:00:00Z')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(localDay(new Date(NINE_PARIS), 'Pacific/Auckland')).toBe('2026-12-01');
    expect(() => parseDigestTime('25:00', 'UTC')).toThrow(/24-hour HH:MM/);
    expect(() => parseDigestTime('09:00', 'Mars/Olympus')).toThrow(/Area\/City/);
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => startOffsetMs('w', `C${i}`, 120_000)));
    expect(offsets.size).toBeGreaterThan(40);
    for (const o of offsets) expect(o).toBeLessThan(120_000);
  });
});

describe('digest scheduling across restarts and processes', () => {
  it('GIVEN two Hive processes on one store THEN the scheduled digest is posted once, in its channel, with links and a footer', async () => {
    const clock = clockAt(NINE_PARIS - 2 * HOUR);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-digest-two-'));
    const a = await startDigestBot({ dataDir, now: clock.now });
    const b = await startDigestBot({ dataDir, now: clock.now });
    await a.hive.ctx.digests.channels.put(channelAt('09:00', 'Europe/Paris', clock.t - HOUR));
    await a.say([{ text: 'We pick Postgres.' }, { text: 'Bob writes the migration.' }]);
    const posts: { target: MessageTarget; reply: Reply }[] = [];
    const sa = schedulerOf(a, clock.now, posts);
    const sb = schedulerOf(b, clock.now, posts);
    await Promise.all([sa.tick(), sb.tick()]);
    expect(posts).toHaveLength(0); // not yet 09:00
    clock.t = NINE_PARIS + 30_000;
    await Promise.all([sa.tick(), sb.tick(), sa.tick(), sb.tick()]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.target).toEqual({ workspaceId: WS, channelId: CH });
    expect(posts[0]!.reply.text).toMatch(/^\*\*Daily digest\*\* · Tue 1 Dec 09:00$/);
    expect(posts[0]!.reply.links).toHaveLength(2);
    expect(posts[0]!.reply.footer).toMatch(/evidence \w{26}/);
    expect(a.fakes.openai!.requests.length + b.fakes.openai!.requests.length).toBe(1);
    const runs = await a.hive.logs.selectFrom('digest_runs').selectAll().execute();
    expect(runs).toMatchObject([{ day: '2026-12-01', status: 'posted' }]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('GIVEN Hive restarted before and after the scheduled time THEN the digest is neither skipped nor doubled', async () => {
    const clock = clockAt(NINE_PARIS - HOUR);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-digest-restart-'));
    const posts: { target: MessageTarget; reply: Reply }[] = [];
    let bot = await startDigestBot({ dataDir, now: clock.now });
    await bot.hive.ctx.digests.channels.put(channelAt('09:00', 'Europe/Paris', clock.t - HOUR));
    await bot.say([{ text: 'Decision: freeze on Thursday.' }]);
    await schedulerOf(bot, clock.now, posts).tick();
    await bot.close();
    clock.t = NINE_PARIS + 60_000;
    bot = await startDigestBot({ dataDir, now: clock.now });
    await schedulerOf(bot, clock.now, posts).tick();
    await bot.close();
    clock.t = NINE_PARIS + 5 * 60_000;
    bot = await startDigestBot({ dataDir, now: clock.now });
    await schedulerOf(bot, clock.now, posts).tick();
    expect(posts).toHaveLength(1);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('GIVEN a process killed while making the digest THEN a running process takes the day over once the lease ends, and posts it once', async () => {
    const clock = clockAt(NINE_PARIS - HOUR);
    const bot = await startDigestBot({ now: clock.now });
    await bot.hive.ctx.digests.channels.put(channelAt('09:00', 'Europe/Paris', clock.t - HOUR));
    await bot.say([{ text: 'We ship on Friday.' }]);
    clock.t = NINE_PARIS + 10_000;
    // The killed process: it claimed the day and never renewed or finished it.
    expect(await bot.hive.ctx.digests.runs.claim(WS, CH, '2026-12-01', 'killed', 3 * 60_000)).toBe(true);
    const posts: { target: MessageTarget; reply: Reply }[] = [];
    const s = schedulerOf(bot, clock.now, posts);
    await s.tick();
    clock.t += 60_000;
    await s.tick();
    expect(posts).toHaveLength(0);
    clock.t += 3 * 60_000;
    await s.tick();
    await s.tick();
    expect(posts).toHaveLength(1);
    expect(await bot.hive.ctx.digests.runs.last(WS, CH)).toMatchObject({ status: 'posted' });
  });

  it('GIVEN Hive was down at the scheduled time THEN the missed digest is posted when it comes back, saying it is late, covering the day before 09:00', async () => {
    const clock = clockAt(NINE_PARIS - 3 * HOUR);
    const bot = await startDigestBot({ now: clock.now });
    await bot.hive.ctx.digests.channels.put(channelAt('09:00', 'Europe/Paris', clock.t - HOUR));
    await bot.say([{ text: 'Before nine: we ship.' }]);
    clock.t = NINE_PARIS + 4 * HOUR;
    await bot.say([{ text: 'After nine: belongs to tomorrow.' }]);
    const posts: { target: MessageTarget; reply: Reply }[] = [];
    await schedulerOf(bot, clock.now, posts).tick();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.reply.text).toContain('(posted late: Hive was not running at 09:00)');
    expect(bot.fakes.openai!.requests[0]!.lastUserText).toContain('Before nine');
    expect(bot.fakes.openai!.requests[0]!.lastUserText).not.toContain('After nine');
  });

  it('GIVEN a digest turned on after today’s time THEN it first fires tomorrow; a quiet day posts one line, or nothing when set to skip', async () => {
    const clock = clockAt(NINE_PARIS + HOUR);
    const bot = await startDigestBot({ now: clock.now });
    await bot.hive.ctx.digests.channels.put(channelAt('09:00', 'Europe/Paris', clock.t));
    const posts: { target: MessageTarget; reply: Reply }[] = [];
    const s = schedulerOf(bot, clock.now, posts);
    await s.tick();
    expect(posts).toHaveLength(0);
    clock.t = NINE_PARIS + 24 * HOUR + 1;
    await s.tick();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.reply.text).toMatch(/A quiet day: nothing was said here since/);
    expect(bot.fakes.openai!.requests).toHaveLength(0);
    await bot.hive.ctx.digests.channels.put(channelAt('09:00', 'Europe/Paris', NINE_PARIS, { quietDays: 'skip' }));
    clock.t = NINE_PARIS + 48 * HOUR + 1;
    await s.tick();
    expect(posts).toHaveLength(1);
    expect(await bot.hive.ctx.digests.runs.last(WS, CH)).toMatchObject({ day: '2026-12-03', status: 'skipped', note: 'quiet day' });
  });

  it('GIVEN a claim left running by a process that died THEN another takes it over after the lease; the one taken over does not post, and one left posting is never taken over', async () => {
    const clock = clockAt(NINE_PARIS);
    const bot = await startDigestBot({ now: clock.now });
    const runs = bot.hive.ctx.digests.runs;
    expect(await runs.claim(WS, CH, '2026-12-01', 'dead', 60_000)).toBe(true);
    expect(await runs.claim(WS, CH, '2026-12-01', 'alive', 60_000)).toBe(false);
    // A holder that renews keeps it; one that stopped renewing (it died) loses it when the lease ends.
    clock.t += 50_000;
    await runs.renew(WS, CH, '2026-12-01', 'dead', 60_000);
    clock.t += 50_000;
    expect(await runs.claim(WS, CH, '2026-12-01', 'alive', 60_000)).toBe(false);
    clock.t += 11_000;
    expect(await runs.claim(WS, CH, '2026-12-01', 'alive', 60_000)).toBe(true);
    // The process that was taken over finds out before posting.
    expect(await runs.posting(WS, CH, '2026-12-01', 'dead')).toBe(false);
    expect(await runs.posting(WS, CH, '2026-12-01', 'alive')).toBe(true);
    clock.t += 120_000;
    expect(await runs.claim(WS, CH, '2026-12-01', 'third', 60_000)).toBe(false);
  });
});
