import { describe, expect, it } from 'vitest';
import { snowflakeTime, type DiscordRequest } from '../fakes/discord-api.ts';
import { capturedRows, digestOn, permalinkOf, rowOf, until } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, OTHER_CHANNEL, isEdit, startDiscord, type DiscordHarness, textOf } from './harness.ts';

const BOB = { id: '300000000000000011', username: 'bob', globalName: 'Bob', nick: 'Bobby' };
const isThreadOpen = (r: DiscordRequest) => r.method === 'POST' && /\/messages\/[^/]+\/threads$/.test(r.path);

/** An /ask in the channel, answered; returns the thread Hive opened from its answer. */
async function askAndOpenThread(h: DiscordHarness): Promise<string> {
  const { token } = h.discord.interaction({
    name: 'ask',
    guildId: GUILD,
    channelId: CHANNEL,
    options: [{ name: 'question', type: 3, value: 'Capital of France?' }],
  });
  await h.discord.waitFor(isEdit(token), 20_000);
  await h.discord.waitFor(isThreadOpen, 20_000);
  return h.discord.originalMessageId(token);
}

describe('Discord: people’s messages go to the digest capture', () => {
  it('GIVEN a channel with a digest on WHEN people post and reply THEN each is stored with the name the server shows, mentions as names, its time and its permalink', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const before = Date.now();
    const first = h.discord.userMessage({ channelId: CHANNEL, content: `<@${BOB.id}> see <#${OTHER_CHANNEL}> please`, nick: 'Ali (ops)', mentions: [BOB] });
    const reply = h.discord.userMessage({ channelId: CHANNEL, content: 'On it.', userId: '300000000000000012', username: 'carol', globalName: null, type: 19 });
    const third = h.discord.userMessage({ channelId: CHANNEL, content: 'Thanks both', userId: '300000000000000013', username: 'dave', globalName: 'Dave' });
    const rows = await until('three rows', async () => ((await capturedRows(h)).length === 3 ? capturedRows(h) : undefined));
    expect(rows[0]).toMatchObject({
      workspace_id: `discord:${GUILD}`,
      channel_id: CHANNEL,
      message_id: first,
      thread_id: null,
      author_id: '300000000000000009',
      author_name: 'Ali (ops)', // the server nickname first
      text: '@Bobby see #random please',
      permalink: permalinkOf(CHANNEL, first),
      edited: 0,
    });
    expect(Number(rows[0]!.at)).toBe(snowflakeTime(first));
    expect(Number(rows[0]!.at)).toBeGreaterThanOrEqual(before);
    expect(Number(rows[0]!.at)).toBeLessThanOrEqual(Date.now());
    // No nickname: the global display name; neither: the username.
    expect(rows.map((r) => [r.message_id, r.author_name, r.text])).toEqual([
      [first, 'Ali (ops)', '@Bobby see #random please'],
      [reply, 'carol', 'On it.'],
      [third, 'Dave', 'Thanks both'],
    ]);
  });

  it('GIVEN a message in one of Hive’s threads THEN it is still answered there, and stored under the parent channel with the thread and a link into it', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const thread = await askAndOpenThread(h);
    const asked = h.discord.userMessage({ channelId: thread, content: 'And Lyon?' });
    const answer = await h.discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`, 20_000);
    expect(textOf(answer.body)).toContain('Paris');
    const row = await until('the thread message stored', () => rowOf(h, asked));
    expect(row).toMatchObject({ channel_id: CHANNEL, thread_id: thread, text: 'And Lyon?', permalink: permalinkOf(thread, asked) });
    // Hive's answers (the /ask reply in the channel, the one in the thread) are not people's messages.
    const sentinel = h.discord.userMessage({ channelId: CHANNEL, content: 'sentinel' });
    await until('the sentinel stored', () => rowOf(h, sentinel));
    expect((await capturedRows(h)).map((r) => r.message_id)).toEqual([asked, sentinel]);
  });

  it('GIVEN a channel without a digest THEN nothing of it is stored, while a channel with one keeps its messages', async () => {
    const h = await startDiscord();
    await digestOn(h, OTHER_CHANNEL);
    h.discord.userMessage({ channelId: CHANNEL, content: 'not for any digest' });
    const thread = await askAndOpenThread(h);
    h.discord.userMessage({ channelId: thread, content: 'nor this, in a thread of that channel' });
    await h.discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`, 20_000);
    const kept = h.discord.userMessage({ channelId: OTHER_CHANNEL, content: 'for the digest of #random' });
    await until('the #random message stored', () => rowOf(h, kept));
    const rows = await capturedRows(h);
    expect(rows.map((r) => [r.channel_id, r.text])).toEqual([[OTHER_CHANNEL, 'for the digest of #random']]);
  });

  it('GIVEN other bots, Hive itself, webhooks and Discord’s own notices THEN none of them is stored', async () => {
    const h = await startDiscord();
    await digestOn(h);
    h.discord.userMessage({ channelId: CHANNEL, content: 'beep, I am a bot', bot: true });
    h.discord.userMessage({ channelId: CHANNEL, content: 'Build 42 passed', webhookId: '600000000000000001', username: 'CI' });
    h.discord.userMessage({ channelId: CHANNEL, content: 'alice joined', type: 7 });
    h.discord.userMessage({ channelId: CHANNEL, content: 'alice pinned a message', type: 6 });
    h.discord.userMessage({ channelId: CHANNEL, content: 'Release plan', type: 18 });
    await askAndOpenThread(h); // Hive's own answer, posted in the channel and echoed by the gateway
    expect(h.discord.messagesIn(CHANNEL).some((m) => textOf(m).includes('Paris'))).toBe(true);
    const sentinel = h.discord.userMessage({ channelId: CHANNEL, content: 'a person, at last' });
    await until('the sentinel stored', () => rowOf(h, sentinel));
    expect((await capturedRows(h)).map((r) => r.text)).toEqual(['a person, at last']);
  });
});
