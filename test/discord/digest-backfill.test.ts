import { describe, expect, it } from 'vitest';
import { capturedRows, digestOn, until } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, startDiscord } from './harness.ts';

describe('Discord: backfilling a digest from the channel history', () => {
  it('GIVEN 250 messages said before the digest was turned on THEN /digest backfill reads them page by page (100 a read), people only, and the progress is kept', async () => {
    const h = await startDiscord();
    for (let i = 0; i < 250; i++) h.discord.userMessage({ channelId: CHANNEL, content: `earlier ${i}`, quietly: true });
    h.discord.userMessage({ channelId: CHANNEL, content: 'a bot said this', bot: true, quietly: true });
    await digestOn(h);
    h.hive.ctx.digests.backfills.attach((platform) =>
      platform === 'discord' ? { read: (t, since, cursor) => h.adapter.history!(t, since, cursor), paceMs: h.adapter.historyPaceMs! } : undefined,
    );
    const channel = (await h.hive.ctx.digests.channels.get(`discord:${GUILD}`, CHANNEL))!;
    expect(await h.hive.ctx.digests.backfills.start(channel)).toBe('started');
    await until('the backfill to finish', async () => (await h.hive.ctx.digests.backfills.state(`discord:${GUILD}`, CHANNEL))?.done);
    const rows = await capturedRows(h);
    expect(rows).toHaveLength(250);
    expect(rows.some((r) => r.text.includes('a bot said'))).toBe(false);
    expect(new Set(rows.map((r) => r.text)).size).toBe(250);
    const reads = h.discord.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${CHANNEL}/messages`);
    expect(reads.map((r) => new URLSearchParams(r.query).get('limit'))).toEqual(['100', '100', '100']);
    expect(new URLSearchParams(reads[1]!.query).get('before')).toMatch(/^\d+$/);
    const state = await h.hive.ctx.digests.backfills.state(`discord:${GUILD}`, CHANNEL);
    expect(state).toMatchObject({ pages: 3, messages: 250, done: true });
  }, 30_000);
});

describe('Discord: /digest in a thread', () => {
  it('GIVEN /digest on typed in a thread a person opened THEN the digest is the parent channel’s, and messages in that thread are kept for it', async () => {
    const h = await startDiscord();
    const thread = h.discord.userThread(CHANNEL);
    h.discord.interaction({
      name: 'digest',
      guildId: GUILD,
      channelId: thread,
      permissions: '32',
      options: [
        {
          name: 'on',
          type: 1,
          options: [
            { name: 'time', type: 3, value: '17:30' },
            { name: 'zone', type: 3, value: 'Europe/Paris' },
          ],
        },
      ],
    });
    await until('the digest to be on', async () => (await h.hive.ctx.digests.channels.list()).length > 0);
    expect((await h.hive.ctx.digests.channels.list()).map((c) => [c.channelId, c.time, c.timezone])).toEqual([[CHANNEL, '17:30', 'Europe/Paris']]);
    h.discord.userMessage({ channelId: thread, content: 'said in the thread' });
    const rows = await until('the thread message to be kept', async () => {
      const r = await capturedRows(h);
      return r.length === 1 ? r : undefined;
    });
    expect(rows[0]).toMatchObject({ channel_id: CHANNEL, thread_id: thread, text: 'said in the thread' });
  }, 30_000);
});
