import { describe, expect, it } from 'vitest';
import { BOT_USER, type DiscordRequest } from '../fakes/discord-api.ts';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';
import { CHANNEL, GUILD, discordWorker, startDiscord, vendorAnswer, type DiscordHarness, textOf } from './harness.ts';

const USER = '300000000000000009';
const ask = {
  name: 'ask',
  guildId: GUILD,
  channelId: CHANNEL,
  userId: USER,
  options: [{ name: 'question', type: 3, value: 'What is the capital of France?' }],
};
const isTyping = (channelId: string) => (r: DiscordRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/typing`;
const hiveMessages = (h: DiscordHarness, channelId: string) =>
  h.discord.messagesIn(channelId).filter((m) => (m['author'] as { id: string }).id === BOT_USER.id);

/** Runs a job as a worker would, without the outbox: what a second worker does when the first died before recording it sent. */
async function runUnrecorded(h: DiscordHarness, answerer: ReturnType<typeof discordWorker>['answerer'], job: QueuedJob) {
  await h.hive.dispatcher.handle(await answerer.resume(job, { resumed: false, posted: async () => undefined }));
}

describe('Discord at scale-out: a queued thread message', () => {
  it('GIVEN a follow-up in a thread Hive opened THEN intake queues it with the thread as context, and the worker answers in the thread with typing shown; run twice, Discord’s nonce check leaves one answer', async () => {
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue });
    const { handle, answerer } = discordWorker(h);
    const { token } = h.discord.interaction(ask);
    const [slash] = await queue.waitFor(1);
    await handle(slash!, { stalled: 0 });
    const thread = h.discord.originalMessageId(token);
    await h.discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${thread}/threads`);
    // The gateway announced the new thread (THREAD_CREATE) before the follow-up, on the same connection: intake knows it as Hive's.
    vendorAnswer.next = () => ({ text: 'Lyon is the third largest city.', usage: { input: 80, output: 7 } });
    const messageId = h.discord.userMessage({ channelId: thread, content: 'And Lyon?' });
    const job = (await queue.waitFor(2))[1]!;
    expect(job).toMatchObject({ id: `discord:message:${messageId}`, channelId: CHANNEL, threadId: thread, userId: USER, text: 'And Lyon?' });
    expect(job.address).toEqual({ kind: 'thread', guildId: GUILD, channelId: thread, userId: USER, admin: false });
    expect(job.context).toEqual([
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris is the capital of France.' },
    ]);
    const typedAtIntake = h.discord.requests.filter(isTyping(thread)).length;

    await runUnrecorded(h, answerer, job);
    await runUnrecorded(h, answerer, job);
    expect(h.discord.requests.filter(isTyping(thread)).length).toBeGreaterThanOrEqual(typedAtIntake + 2);
    const posts = h.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.body).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect(posts[1]!.body!['nonce']).toBe(posts[0]!.body!['nonce']);
    expect(String(posts[0]!.body!['nonce'])).toMatch(/^\d{1,25}$/);
    const answers = hiveMessages(h, thread);
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0])).toMatch(/^Lyon is the third largest city\.\n-# gpt-6-luna · /);
  });

  it('GIVEN a queued slash job that runs past the interaction token (fake clock) THEN the worker posts the answer in the channel, naming the asker, once however often it runs', async () => {
    let t = Date.parse('2026-12-01T12:00:00Z');
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue, now: () => t });
    const { answerer } = discordWorker(h, { now: () => t });
    h.discord.interaction({ ...ask, options: [{ name: 'question', type: 3, value: 'Summarise the quarter' }] });
    const [job] = await queue.waitFor(1);
    t += 15 * 60_000;
    // Slow enough that the job's progress notes are due before its answer: they must not touch the expired token either.
    vendorAnswer.next = () => ({ text: 'Revenue grew.', usage: { input: 40, output: 3 }, latencyMs: 150 });
    const editsBefore = h.discord.requests.filter((r) => r.method === 'PATCH').length;
    await runUnrecorded(h, answerer, job!);
    await runUnrecorded(h, answerer, job!);
    expect(h.discord.requests.filter((r) => r.method === 'PATCH')).toHaveLength(editsBefore);
    const answers = hiveMessages(h, CHANNEL);
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0])).toMatch(/^> Summarise the quarter\n<@300000000000000009> Revenue grew\.\n-# /);
    // The thread opens once: the second run finds it there already.
    expect(h.discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'))).toHaveLength(2);
  });
});
