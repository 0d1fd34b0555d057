import { describe, expect, it } from 'vitest';
import { createDigestScheduler } from '../../src/digest/digest-scheduler.ts';
import { honestDigest } from '../fakes/digest-model.ts';
import { capturedRows, until } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, startDiscord } from './harness.ts';

describe('Discord: a scheduled digest', () => {
  it('GIVEN a digest on and messages during the day THEN at its time one digest is posted in the channel, every bullet linking to its message, with the cost footer and mentions off', async () => {
    const h = await startDiscord({ respond: honestDigest });
    const real = Date.now();
    const at = new Date(real + 60_000);
    const time = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    await h.hive.digestChannels.put({
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
    const scheduler = createDigestScheduler({
      ...h.hive.ctx.digests,
      post: async (_p, target, reply) => {
        await h.adapter.post(target, reply);
        return true;
      },
      canPost: (p) => p === 'discord',
      log: h.hive.log,
      now: () => Date.now() + 120_000,
      spreadMs: 0,
    });
    await scheduler.tick();
    await scheduler.tick();
    const posts = h.discord.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages` && String(r.body!['content']).includes('Daily digest'),
    );
    expect(posts).toHaveLength(1);
    const content = String(posts[0]!.body!['content']);
    const rows = await capturedRows(h);
    expect(content).toMatch(/^\*\*Daily digest\*\* · /);
    expect(content).toContain(`**Decisions**\n- Ship the release on Friday ([${timeOf(rows[0]!.at)}](<${rows[0]!.permalink}>))`);
    expect(content).toContain(`**Action items**\n- Write the release notes ([${timeOf(rows[2]!.at)}](<${rows[2]!.permalink}>))`);
    expect(content).toMatch(/\n-# gpt-6-luna · cheap \(digest default\) · .*\$0\.\d+ .*evidence \w{26}$/);
    expect(posts[0]!.body!['allowed_mentions']).toEqual({ parse: [] });
    await scheduler.stop();
  });
});

function timeOf(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}
