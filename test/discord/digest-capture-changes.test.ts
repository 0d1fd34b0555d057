import { describe, expect, it } from 'vitest';
import { snowflakeTime, type DiscordRequest } from '../fakes/discord-api.ts';
import type { CaptureEvent } from '../../src/chat/capture-event.ts';
import { capturedRows, digestOn, permalinkOf, rowOf, until } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, isCallback, isEdit, startDiscord, vendorAnswer, type DiscordHarness, textOf } from './harness.ts';

const isThreadOpen = (r: DiscordRequest) => r.method === 'POST' && /\/messages\/[^/]+\/threads$/.test(r.path);

/** A person's message in the channel, once it is stored. */
async function storedMessage(h: DiscordHarness, content: string, channelId = CHANNEL): Promise<string> {
  const id = h.discord.userMessage({ channelId, content });
  await until(`"${content}" stored`, () => rowOf(h, id));
  return id;
}

/**
 * A message captured by an earlier run of the bot (discord.js has never seen it, so its edit or
 * deletion arrives as a partial): said quietly, its row stored as that run would have.
 */
async function capturedBeforeRestart(h: DiscordHarness, content: string): Promise<string> {
  const id = h.discord.userMessage({ channelId: CHANNEL, content, quietly: true });
  const message = { workspaceId: `discord:${GUILD}`, channelId: CHANNEL, messageId: id, authorId: '300000000000000009', authorName: 'Alice', text: content };
  await h.hive.host.capture.observe({ kind: 'message', message: { ...message, at: snowflakeTime(id), permalink: permalinkOf(CHANNEL, id) } });
  return id;
}

describe('Discord: edits and deletions reach the digest capture', () => {
  it('GIVEN a stored message WHEN its author edits it THEN the text changes; an embed unfurling is no edit; a message from before a restart is edited too', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const id = await storedMessage(h, 'Standup at 10');
    const linked = await storedMessage(h, 'Notes: https://example.com/');
    const old = await capturedBeforeRestart(h, 'Retro on Friday');
    h.discord.editMessage(CHANNEL, id, 'Standup moved to 11');
    h.discord.resolveEmbed(CHANNEL, linked);
    h.discord.editMessage(CHANNEL, old, 'Retro moved to Monday');
    await until('the edit stored', async () => (await rowOf(h, id))?.text === 'Standup moved to 11');
    await until('the uncached edit stored', async () => (await rowOf(h, old))?.text === 'Retro moved to Monday');
    expect(await rowOf(h, id)).toMatchObject({ edited: 1, channel_id: CHANNEL });
    expect(await rowOf(h, old)).toMatchObject({ edited: 1 });
    expect(await rowOf(h, linked)).toMatchObject({ text: 'Notes: https://example.com/', edited: 0 });
  });

  it('GIVEN stored messages WHEN one is deleted, one from before a restart is deleted, and two go in a bulk delete THEN exactly those rows go', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const [a, b, c, d] = [await storedMessage(h, 'a'), await storedMessage(h, 'b'), await storedMessage(h, 'c'), await storedMessage(h, 'd')];
    const old = await capturedBeforeRestart(h, 'from before the restart');
    h.discord.deleteMessage(CHANNEL, a!);
    h.discord.deleteMessage(CHANNEL, old);
    h.discord.bulkDelete(CHANNEL, [b!, c!]);
    await until('only d left', async () => ((await capturedRows(h)).length === 1 ? true : undefined));
    expect((await capturedRows(h)).map((r) => r.message_id)).toEqual([d]);
  });

  it('GIVEN a message in one of Hive’s threads WHEN it is edited and then deleted THEN its row under the parent channel follows', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const { token } = h.discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'Capital?' }] });
    await h.discord.waitFor(isEdit(token), 20_000);
    await h.discord.waitFor(isThreadOpen, 20_000);
    const thread = h.discord.originalMessageId(token);
    const id = await storedMessage(h, 'And Lyon?', thread);
    h.discord.editMessage(thread, id, 'And Lyon, please?');
    await until('the thread edit stored', async () => (await rowOf(h, id))?.text === 'And Lyon, please?');
    expect(await rowOf(h, id)).toMatchObject({ channel_id: CHANNEL, thread_id: thread });
    h.discord.deleteMessage(thread, id);
    await until('the thread message gone', async () => ((await rowOf(h, id)) ? undefined : true));
  });
});

describe('Discord: the capture beside the other intake', () => {
  it('GIVEN a capture that hangs and then fails THEN the thread message is answered meanwhile, and the failure is a logged warning', async () => {
    const h = await startDiscord();
    let fail: (e: Error) => void = () => undefined;
    const seen: CaptureEvent[] = [];
    h.hive.host.capture = {
      observe: (e) => (seen.push(e), new Promise<void>((_, reject) => (fail = reject))),
    };
    const { token } = h.discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'Capital?' }] });
    await h.discord.waitFor(isEdit(token), 20_000);
    await h.discord.waitFor(isThreadOpen, 20_000);
    const thread = h.discord.originalMessageId(token);
    h.discord.userMessage({ channelId: thread, content: 'And Lyon?' });
    const answer = await h.discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`, 20_000);
    expect(textOf(answer.body)).toContain('Paris');
    expect(seen.map((e) => e.kind)).toEqual(['message']); // still pending: only the person's message was handed over
    fail(new Error('log store unavailable'));
    const warning = await until('the warning logged', async () => h.logs.find((l) => l.includes('digest capture failed')));
    expect(JSON.parse(warning)).toMatchObject({ level: 40, kind: 'message', err: { message: 'log store unavailable' } });
  });

  it('GIVEN the adapter stopping while an answer is in flight THEN that answer is delivered, and a message arriving meanwhile is not captured', async () => {
    vendorAnswer.next = () => ({ text: 'Slow but sure.', usage: { input: 40, output: 4 }, latencyMs: 600 });
    const h = await startDiscord();
    await digestOn(h);
    const before = await storedMessage(h, 'before the stop');
    const { id, token } = h.discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      options: [{ name: 'question', type: 3, value: 'Capital?' }],
    });
    await h.discord.waitFor(isCallback(id, token), 20_000);
    const stopping = h.adapter.stop();
    h.discord.userMessage({ channelId: CHANNEL, content: 'said while Hive stops' });
    await stopping;
    expect(textOf(h.discord.requests.find(isEdit(token))?.body)).toContain('Slow but sure.');
    expect((await capturedRows(h)).map((r) => r.message_id)).toEqual([before]);
  });
});
