import { describe, expect, it } from 'vitest';
import { CHANNEL, GUILD, discordWorker, startDiscord } from './harness.ts';

describe('Discord at scale-out: a worker’s REST side', () => {
  it('GIVEN messages in a channel THEN a worker reads its history without a gateway (people only, newest first) and posts and edits a digest there, mentions off', async () => {
    const h = await startDiscord();
    for (let k = 0; k < 3; k++) h.discord.userMessage({ channelId: CHANNEL, content: `earlier ${k}`, quietly: true });
    h.discord.userMessage({ channelId: CHANNEL, content: 'a bot said this', bot: true, quietly: true });
    const { answerer } = discordWorker(h);
    const target = { workspaceId: `discord:${GUILD}`, channelId: CHANNEL };
    const page = await answerer.history!(target, 0, undefined);
    expect(page.messages.map((m) => m.text)).toEqual(['earlier 2', 'earlier 1', 'earlier 0']);
    expect(page.messages[0]).toMatchObject({ workspaceId: `discord:${GUILD}`, channelId: CHANNEL, authorName: 'Alice' });
    expect(page.next).toBeUndefined();
    const ref = await answerer.post(target, { text: 'Daily digest @everyone', visibility: 'channel' });
    await answerer.edit(ref, { text: 'Daily digest, mended', visibility: 'channel' });
    const edit = h.discord.requests.find((r) => r.method === 'PATCH' && r.path === `/channels/${CHANNEL}/messages/${ref.messageId}`)!;
    expect(edit.body).toEqual({ content: 'Daily digest, mended', allowed_mentions: { parse: [] } });
    expect(h.discord.messagesIn(CHANNEL).at(-1)).toMatchObject({ id: ref.messageId, content: 'Daily digest, mended' });
  });
});
