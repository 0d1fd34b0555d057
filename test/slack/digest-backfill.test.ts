import { afterEach, describe, expect, it } from 'vitest';
import { parseSlackEnv } from '../../adapters/chat/slack/config.ts';
import { TEAM_URL, startCaptureHarness, waitForRows } from './digest-capture-helpers.ts';
import { BOT_TOKEN, BOT_USER, CHANNEL, TEAM, USER, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack: backfilling a digest from the channel history', () => {
  it('GIVEN 40 messages said before the digest was on THEN the backfill reads them 15 at a time, a read per pace, people only, with permalinks', async () => {
    const base = Math.floor(Date.now() / 1000) - 3_600;
    const said = Array.from({ length: 40 }, (_, i) => ({ type: 'message', user: USER, text: `earlier ${i}`, ts: `${base + i}.000100` }));
    const bots = [
      { type: 'message', bot_id: 'BOTHER', text: 'a bot', ts: `${base + 50}.000100` },
      { type: 'message', user: BOT_USER, bot_id: 'BBOT', text: 'Hive itself', ts: `${base + 51}.000100` },
      { type: 'message', subtype: 'channel_join', user: USER, text: 'joined', ts: `${base + 52}.000100` },
    ];
    const tooOld = { type: 'message', user: USER, text: 'two days ago', ts: `${base - 2 * 86_400}.000100` };
    h = await startCaptureHarness({
      slack: {
        workspaces: { [BOT_TOKEN]: { teamId: TEAM, url: TEAM_URL, botUserId: BOT_USER, botId: 'BBOT' } },
        history: { [CHANNEL]: [...said, ...bots, tooOld] },
      },
    });
    await h.hive.ctx.digests.channels.put({
      platform: 'slack',
      workspaceId: `slack:${TEAM}`,
      channelId: CHANNEL,
      time: '09:00',
      timezone: 'UTC',
      enabledAt: Date.now(),
      enabledBy: 'U1',
      options: {},
    });
    const adapter = h.adapter;
    expect(adapter.historyPaceMs).toBe(60_000);
    h.hive.ctx.digests.backfills.attach((p) => (p === 'slack' ? { read: (t, since, cursor) => adapter.history!(t, since, cursor), paceMs: 1 } : undefined));
    const channel = (await h.hive.ctx.digests.channels.get(`slack:${TEAM}`, CHANNEL))!;
    await h.hive.ctx.digests.backfills.start(channel);
    const rows = await waitForRows(h, (r) => r.length === 40, 10_000);
    const reads = h.slack.of('conversations.history');
    expect(reads.map((c) => c.body.limit)).toEqual(['15', '15', '15']);
    expect(reads.length).toBe(3);
    expect(reads.every((c) => c.token === BOT_TOKEN)).toBe(true);
    expect(rows.every((r) => r.permalink?.startsWith(`${TEAM_URL}archives/${CHANNEL}/p`))).toBe(true);
    expect(rows.some((r) => /a bot|Hive itself|joined|two days ago/.test(r.text))).toBe(false);
  });

  it('GIVEN SLACK_HISTORY_TIER THEN limited (the default) and tier3 are taken, anything else is refused naming both', () => {
    const base = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 'secret' };
    const problems: string[] = [];
    expect(parseSlackEnv(base, problems)?.historyTier).toBe('limited');
    expect(parseSlackEnv({ ...base, SLACK_HISTORY_TIER: 'tier3' }, problems)?.historyTier).toBe('tier3');
    expect(problems).toEqual([]);
    parseSlackEnv({ ...base, SLACK_HISTORY_TIER: 'fast' }, problems);
    expect(problems.join('\n')).toMatch(/SLACK_HISTORY_TIER: must be limited \(apps outside the Slack Marketplace\) or tier3/);
  });
});
