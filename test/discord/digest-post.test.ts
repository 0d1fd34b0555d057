import { describe, expect, it } from 'vitest';
import { dueInAMinute, hhmmUtc, schedulerOver } from '../helpers/digest-schedule.ts';
import { honestDigest } from '../fakes/digest-model.ts';
import { capturedRows, until } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, startDiscord, textOf } from './harness.ts';

describe('Discord: a scheduled digest', () => {
  it('GIVEN a digest on and messages during the day THEN at its time one digest is posted in the channel, every bullet linking to its message, with the cost footer and mentions off', async () => {
    const h = await startDiscord({ respond: honestDigest });
    const real = Date.now();
    const { time, now } = dueInAMinute();
    await h.hive.ctx.digests.channels.put({
      platform: 'discord',
      workspaceId: `discord:${GUILD}`,
      channelId: CHANNEL,
      time,
      timezone: 'UTC',
      enabledAt: real - 3_600_000,
      enabledBy: 'u',
      options: {},
    });
    for (const content of ['Shall we ship Friday? @everyone', 'Yes. Bob, release notes please.', 'On it.'])
      h.discord.userMessage({ channelId: CHANNEL, content });
    await until('three captured messages', async () => (await capturedRows(h)).length === 3);
    const scheduler = schedulerOver(h.hive, 'discord', now, (target, reply) => h.adapter.post(target, reply));
    await scheduler.tick();
    await scheduler.tick();
    const posts = h.discord.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages` && textOf(r.body).includes('Daily digest'),
    );
    expect(posts).toHaveLength(1);
    const content = textOf(posts[0]!.body);
    const rows = await capturedRows(h);
    expect(content).toMatch(/^\*\*Daily digest\*\* · /);
    expect(content).toContain(`**Decisions**\n- Ship the release on Friday ([${hhmmUtc(rows[0]!.at)}](<${rows[0]!.permalink}>))`);
    expect(content).toContain(`**Action items**\n- Write the release notes ([${hhmmUtc(rows[2]!.at)}](<${rows[2]!.permalink}>))`);
    expect(content).toMatch(/\n-# gpt-6-luna · cheap \(digest default\) · .*\$0\.\d+ .*evidence \w{26}$/);
    expect(posts[0]!.body!['allowed_mentions']).toEqual({ parse: [] });
    await scheduler.stop();
  });
});
