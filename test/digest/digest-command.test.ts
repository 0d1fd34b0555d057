import { describe, expect, it } from 'vitest';
import { CH, WS, startDigestBot, type DigestBot } from './harness.ts';

/** The text of a refusal (a reply in the error tone). */
async function refusal(bot: DigestBot, text: string, o?: { member?: boolean }): Promise<string> {
  const r = await bot.digest(text, o);
  expect(r.tone).toBe('error');
  return r.text;
}

describe('/digest on, off, status, set, who', () => {
  it('GIVEN a member and the default policy THEN only admins may turn a digest on; after /digest who members, members may', async () => {
    const bot = await startDigestBot();
    expect(await refusal(bot, 'on', { member: true })).toMatch(
      /Only workspace admins can turn a channel's digest on \(an admin can let every member do it: \/digest who members\)/,
    );
    await bot.digest('who members');
    const on = await bot.digest('on 17:30 America/New_York', { member: true });
    expect(on.text).toMatch(/^This channel's daily digest is now on \(every day at 17:30 America\/New_York\)/);
    expect(on.visibility).toBe('channel');
    expect(await refusal(bot, 'set budget 5', { member: true })).toMatch(/Only workspace admins/);
  });

  it('GIVEN /digest zone THEN /digest on HH:MM means that zone in the workspace; a bad zone is refused; only admins set it', async () => {
    const bot = await startDigestBot();
    expect(await refusal(bot, 'zone Atlantis')).toMatch(/"Atlantis" is not a time zone/);
    expect(await refusal(bot, 'zone Europe/Oslo', { member: true })).toMatch(/Only workspace admins can set the workspace's digest time zone/);
    expect((await bot.digest('zone Asia/Tokyo')).text).toMatch(/now means Asia\/Tokyo time/);
    await bot.digest('on 07:45');
    expect(await bot.hive.ctx.digests.channels.get(WS, CH)).toMatchObject({ time: '07:45', timezone: 'Asia/Tokyo' });
  });

  it('GIVEN bad times and zones THEN each is refused with what to write, and nothing is turned on', async () => {
    const bot = await startDigestBot();
    expect(await refusal(bot, 'on 9am')).toMatch(/"9am" is not a time of day: use 24-hour HH:MM/);
    expect(await refusal(bot, 'on 09:00 Paris')).toMatch(/"Paris" is not a time zone: use Area\/City/);
    expect(await refusal(bot, 'sometimes')).toMatch(/is not a \/digest choice\.\nUsage: \/digest on/);
    expect(await bot.hive.ctx.digests.channels.get(WS, CH)).toBeUndefined();
  });

  it('GIVEN a digest on THEN status shows the schedule, the next run, the capture, the month’s digest spend and the privacy note; set changes options', async () => {
    const bot = await startDigestBot();
    await bot.digest('on 08:15 Europe/Berlin');
    await bot.say([{ text: 'one' }, { text: 'two' }]);
    await bot.digest('now');
    await bot.digest('set length 5');
    await bot.digest('set quiet skip');
    await bot.digest('set budget 2.50');
    await bot.digest('set lane balanced');
    const s = (await bot.digest('status')).text;
    expect(s).toMatch(/^Digest: on, daily at 08:15 Europe\/Berlin; next \w{3} \d+ \w{3} 08:15 Europe\/Berlin\./);
    expect(s).toContain('Captured: 2 messages since');
    expect(s).toContain('(each kept 48 hours)');
    expect(s).toMatch(/Digest spend this month: \$0\.0\d+ of a \$2\.50 budget\./);
    expect(s).toContain('Options: lane balanced, at most 5 points, quiet days skipped.');
    expect(s).toMatch(/Privacy: while a channel's digest is on, Hive stores each person's message there .* for 48 hours, then deletes it\./);
    expect(await refusal(bot, 'set length 99')).toMatch(/from 1 to 40/);
  });

  it('GIVEN /digest off THEN everything captured for the channel is deleted and nothing more is kept', async () => {
    const bot = await startDigestBot();
    await bot.digest('on');
    await bot.say([{ text: 'kept while on' }]);
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toHaveLength(1);
    const off = await bot.digest('off');
    expect(off.text).toMatch(/^Digest off\. Hive no longer keeps this channel's messages, and deleted the ones it had\./);
    await bot.say([{ text: 'said after off' }]);
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    expect((await bot.digest('status')).text).toMatch(/^Digest: off in this channel; nothing is captured here\./);
  });

  it('GIVEN messages in a channel without a digest THEN none is ever stored, while the channel with one keeps its own; edits and deletes apply', async () => {
    const bot = await startDigestBot();
    await bot.digest('on');
    await bot.say([{ text: 'in the digest channel', messageId: '1.1' }]);
    await bot.say([{ text: 'elsewhere', channelId: 'C0OTHER', messageId: '1.2' }]);
    await bot.hive.host.capture.observe({ kind: 'edit', workspaceId: WS, channelId: CH, messageId: '1.1', text: 'edited text' });
    await bot.hive.host.capture.observe({ kind: 'edit', workspaceId: WS, channelId: 'C0OTHER', messageId: '1.2', text: 'x' });
    let rows = await bot.hive.logs.selectFrom('digest_messages').selectAll().execute();
    expect(rows.map((r) => [r.channel_id, r.text, r.edited])).toEqual([[CH, 'edited text', 1]]);
    await bot.hive.host.capture.observe({ kind: 'delete', workspaceId: WS, channelId: CH, messageId: '1.1' });
    rows = await bot.hive.logs.selectFrom('digest_messages').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('GIVEN a digest budget smaller than one call THEN no call is made, the digest says the budget is spent, and spend stays within the cap', async () => {
    const bot = await startDigestBot();
    await bot.digest('on');
    await bot.digest('set budget 0.000001');
    await bot.say([{ text: 'a' }, { text: 'b' }]);
    expect(await refusal(bot, 'now')).toMatch(/The digest was not made: its budget is spent \(raise it with `\/digest set budget <usd>`/);
    expect(bot.fakes.openai!.requests.filter((r) => r.model)).toHaveLength(0);
  });
});
