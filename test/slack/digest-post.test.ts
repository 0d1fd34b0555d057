import { afterEach, describe, expect, it } from 'vitest';
import { dueInAMinute, hhmmUtc, schedulerOver } from '../helpers/digest-schedule.ts';
import { honestDigest } from '../fakes/digest-model.ts';
import { channelMessage, TEAM_URL, startCaptureHarness, waitForRows } from './digest-capture-helpers.ts';
import { CHANNEL, KEY, TEAM, blockTexts, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack: a scheduled digest', () => {
  it('GIVEN a digest on and messages during the day THEN at its time one digest is posted in the channel with the bot token, every bullet linking to its message, and the cost footer', async () => {
    h = await startCaptureHarness({ respond: honestDigest, keys: { [TEAM]: KEY } });
    const real = Date.now();
    const { time, now } = dueInAMinute();
    await h.hive.ctx.digests.channels.put({
      platform: 'slack',
      workspaceId: `slack:${TEAM}`,
      channelId: CHANNEL,
      time,
      timezone: 'UTC',
      enabledAt: real - 3_600_000,
      enabledBy: 'U1',
      options: {},
    });
    const base = Math.floor(real / 1000) - 60;
    const said = ['Shall we ship Friday? <!channel>', 'Yes. Bob, release notes please.', 'On it.'];
    for (const [i, text] of said.entries()) await h.event(`Ev${i}`, channelMessage(`${base + i}.000100`, text));
    const rows = await waitForRows(h, (r) => r.length === 3);
    const adapter = h.adapter;
    const scheduler = schedulerOver(h.hive, 'slack', now, (target, reply) => adapter.post(target, reply));
    await scheduler.tick();
    await scheduler.tick();
    await scheduler.stop();
    const posts = h.slack.of('chat.postMessage').filter((c) => blockTexts(c.body).join('\n').includes('Daily digest'));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(CHANNEL);
    const text = blockTexts(posts[0]!.body).join('\n');
    const link = (row: (typeof rows)[number]) => `<${row.permalink!.replace(/&/g, '&amp;')}|${hhmmUtc(Number(row.at))}>`;
    expect(rows[0]!.permalink).toMatch(new RegExp(`^${TEAM_URL}archives/${CHANNEL}/p\\d+$`));
    expect(text).toContain(`• Ship the release on Friday (${link(rows[0]!)})`);
    expect(text).toContain(`• Write the release notes (${link(rows[2]!)})`);
    expect(text).toMatch(/gpt-6-luna · cheap \(digest default\) · .*\$0\.\d+.* · evidence \w{26}/);
    expect(text).not.toContain('<!channel>');
  });
});
