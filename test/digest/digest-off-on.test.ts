import { describe, expect, it } from 'vitest';
import type { MessageTarget } from '../../src/chat/chat-adapter.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { schedulerOver } from '../helpers/digest-schedule.ts';
import { CH, WS, startDigestBot, type DigestBot } from './harness.ts';

const HOUR = 3_600_000;
/** 2026-12-01 08:00 UTC is 09:00 in Paris. */
const NINE_PARIS = Date.parse('2026-12-01T08:00:00Z');

const OPTIONS = 'Options: lane balanced, at most 5 points, quiet days skipped.';

/** A bot on a clock the test moves, with a digest on at 09:00 Paris and its options changed. */
async function botWithOptions(): Promise<{ bot: DigestBot; clock: { t: number } }> {
  const clock = { t: NINE_PARIS - 5 * HOUR };
  const bot = await startDigestBot({ now: () => clock.t });
  await bot.digest('who members');
  await bot.digest('on 09:00 Europe/Paris');
  for (const o of ['lane balanced', 'length 5', 'quiet skip', 'budget 3']) await bot.digest(`set ${o}`);
  return { bot, clock };
}

describe('/digest off keeps the settings; /digest off --forget deletes them', () => {
  it('GIVEN options set, off, then on by someone else THEN lane, length, quiet, budget and schedule are kept, the channel is told again, and status names who turned it back on', async () => {
    const { bot, clock } = await botWithOptions();
    const off = await bot.digest('off');
    expect(off.text).toMatch(/^Digest off\. Hive no longer keeps this channel's messages, and deleted the ones it had\./);
    expect(off.text).toContain(
      'Its settings (schedule, lane, model, length, quiet days, budget) are kept for the next /digest on; /digest off --forget deletes them.',
    );
    const offStatus = (await bot.digest('status')).text;
    expect(offStatus).toMatch(
      /^Digest: off in this channel; nothing is captured here\.\nTurned off on .*; its settings are kept: daily at 09:00 Europe\/Paris, lane balanced/,
    );
    clock.t += HOUR;
    const on = await bot.digest('on', { member: true });
    expect(on.visibility).toBe('channel');
    expect(on.text).toMatch(/^This channel's daily digest is now on \(every day at 09:00 Europe\/Paris\)/);
    expect(on.text).toContain("each person's messages here");
    expect(await bot.hive.ctx.digests.channels.get(WS, CH)).toMatchObject({
      time: '09:00',
      timezone: 'Europe/Paris',
      enabledAt: clock.t,
      enabledBy: 'U0MEMBER',
      options: { lane: 'balanced', maxBullets: 5, quietDays: 'skip', monthlyBudgetUsd: 3 },
    });
    const status = (await bot.digest('status')).text;
    expect(status).toContain(OPTIONS);
    expect(status).toContain('of a $3.00 budget');
    expect(status).toMatch(/^Turned on by user U0MEMBER on Tue 1 Dec 05:00 Europe\/Paris\.$/m);
    expect((await bot.digest('on 10:00')).visibility).toBe('private');
  });

  it('GIVEN a digest off THEN no message is captured, it is not listed nor scheduled, and set, now and backfill say it is off', async () => {
    const { bot, clock } = await botWithOptions();
    await bot.say([{ text: 'kept while on' }]);
    await bot.digest('off');
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    await bot.say([{ text: 'said while off' }]);
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    const channels = bot.hive.ctx.digests.channels;
    expect(await channels.isOn(WS, CH)).toBe(false);
    expect(await channels.list()).toEqual([]);
    expect(await channels.get(WS, CH)).toBeUndefined();
    // Another channel due at the same time shows the scheduler ran and passed the off one by.
    await channels.put({ ...(await channels.kept(WS, CH))!, channelId: 'C0OTHER', options: {} });
    const posts: { target: MessageTarget; reply: Reply }[] = [];
    const scheduler = schedulerOver(
      bot.hive,
      'slack',
      () => clock.t,
      async (target, reply) => void posts.push({ target, reply }),
    );
    clock.t = NINE_PARIS + 30_000;
    await scheduler.tick();
    expect(posts.map((p) => p.target)).toEqual([{ workspaceId: WS, channelId: 'C0OTHER' }]);
    expect(await bot.hive.ctx.digests.runs.last(WS, CH)).toBeUndefined();
    expect((await bot.digest('set length 3')).text).toMatch(/turn it on first/);
    expect((await bot.digest('now')).text).toMatch(/^This channel has no digest/);
    expect((await bot.digest('backfill')).text).toMatch(/turn it on first/);
    expect((await bot.digest('off')).text).toMatch(/^The digest was already off in this channel; nothing is kept here\.\nIts settings .* are kept/);
    expect((await channels.kept(WS, CH))?.options).toEqual({ lane: 'balanced', maxBullets: 5, quietDays: 'skip', monthlyBudgetUsd: 3 });
  });

  it('GIVEN /digest off --forget THEN the settings are deleted with the messages, the reply says so, and the next on starts from the defaults', async () => {
    const { bot } = await botWithOptions();
    await bot.say([{ text: 'kept while on' }]);
    const forgot = await bot.digest('off --forget');
    expect(forgot.text).toMatch(/^Digest off\. Hive no longer keeps this channel's messages, and deleted the ones it had\.\nIts settings are forgotten/);
    expect(await bot.hive.logs.selectFrom('digest_channels').selectAll().execute()).toEqual([]);
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    expect((await bot.digest('status')).text).toMatch(/^Digest: off in this channel; nothing is captured here\.\nTurn it on: /);
    expect((await bot.digest('off --forget')).text).toMatch(/^The digest was not on in this channel; nothing is kept here, and no settings were kept\./);
    const on = await bot.digest('on');
    expect(on.visibility).toBe('channel');
    expect((await bot.digest('status')).text).toContain('Options: lane cheap, at most 12 points, quiet days said in one line.');
  });

  it('GIVEN a digest off, then forgotten THEN the forget says the settings are gone; a stray word after off is refused', async () => {
    const { bot } = await botWithOptions();
    await bot.digest('off');
    expect((await bot.digest('off --forget')).text).toMatch(/^The digest was already off in this channel; nothing is kept here\.\nIts settings are forgotten/);
    expect(await bot.hive.ctx.digests.channels.kept(WS, CH)).toBeUndefined();
    const stray = await bot.digest('off --all');
    expect(stray.tone).toBe('error');
    expect(stray.text).toMatch(/"--all" is not an option of off\.\nUsage: \/digest off \[--forget\]/);
  });
});
