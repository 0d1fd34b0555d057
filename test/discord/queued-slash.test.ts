import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, type DiscordRequest } from '../fakes/discord-api.ts';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { CHANNEL, GUILD, TOKEN, discordWorker, isCallback, isEdit, startDiscord, vendorAnswer, textOf } from './harness.ts';

const USER = '300000000000000009';
const ask = (question: string) => ({
  name: 'ask',
  guildId: GUILD,
  channelId: CHANNEL,
  userId: USER,
  options: [{ name: 'question', type: 3, value: question }],
});
const writes = (r: DiscordRequest) => r.method !== 'GET';
const modelCalls = (h: { vendor: { requests: { model?: string }[] } }) => h.vendor.requests.filter((r) => r.model).length;

/** Intake on a memory queue: the interaction is deferred and queued, nothing more. */
async function queuedAsk(question: string, o: { keyless?: boolean } = {}) {
  const queue = createMemoryQueue();
  const h = await startDiscord({ queue, ...o });
  const { id, token } = h.discord.interaction(ask(question));
  const [job] = await queue.waitFor(1);
  return { h, queue, job: job!, id, token };
}

describe('Discord at scale-out: a queued slash command', () => {
  it('GIVEN /ask at an intake with a queue THEN it is deferred and queued (no model call, no bot token); a worker answers by editing the deferred reply, and a redelivered job posts nothing more', async () => {
    const { h, queue, job, id, token } = await queuedAsk('What is the capital of France?');
    expect((await h.discord.waitFor(isCallback(id, token))).body).toMatchObject({ type: 5 });
    expect(job.id).toBe(`discord:interaction:${id}`);
    expect(job).toMatchObject({ platform: 'discord', workspaceId: `discord:${GUILD}`, channelId: CHANNEL, userId: USER, command: 'ask' });
    expect(job.address).toMatchObject({
      kind: 'slash',
      guildId: GUILD,
      channelId: CHANNEL,
      userId: USER,
      admin: false,
      interaction: { applicationId: APPLICATION_ID, token, privately: false, openThread: true },
    });
    expect(JSON.stringify(queue.jobs)).not.toContain(TOKEN);
    expect(modelCalls(h)).toBe(0);
    expect(h.discord.requests.some(isEdit(token))).toBe(false);

    const { handle } = discordWorker(h);
    await handle(job, { stalled: 0 });
    const edit = h.discord.requests.filter(isEdit(token)).at(-1)!;
    expect(textOf(edit.body)).toMatch(/^> What is the capital of France\?\nParis is the capital of France\.\n-# gpt-6-luna · /);
    expect(edit.body!['allowed_mentions']).toEqual({ parse: [] });
    const original = h.discord.originalMessageId(token);
    const opened = h.discord.requests.find((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${original}/threads`);
    expect(opened?.body).toMatchObject({ name: 'What is the capital of France?' });

    const before = h.discord.requests.filter(writes).length;
    await handle(job, { stalled: 1 });
    expect(h.discord.requests.filter(writes)).toHaveLength(before);
    expect(modelCalls(h)).toBe(1);
  });

  it('GIVEN a long answer THEN the worker continues it in the thread opened from the first part; a resumed run edits the messages it recorded instead of posting them again', async () => {
    const paragraph = 'word '.repeat(120).trim();
    vendorAnswer.next = () => ({ text: Array.from({ length: 8 }, () => paragraph).join('\n\n'), usage: { input: 40, output: 900 } });
    const { h, job, token } = await queuedAsk('long please');
    const { answerer } = discordWorker(h);
    const thread = h.discord.originalMessageId(token);
    const isFollowUp = (r: DiscordRequest) => r.method === 'POST' && r.path === `/channels/${thread}/messages`;
    let ref: string | undefined;
    const run = async (resumed: boolean) =>
      h.hive.dispatcher.handle(await answerer.resume(job, { resumed, ...(ref ? { ref } : {}), posted: async (r) => void (ref = r) }));
    await run(false);
    const followUps = h.discord.requests.filter(isFollowUp);
    expect(followUps.length).toBeGreaterThanOrEqual(2);
    expect(textOf(followUps.at(-1)!.body)).toContain('\n-# ');
    for (const r of [...followUps, h.discord.requests.find(isEdit(token))!]) expect(textOf(r.body).length).toBeLessThanOrEqual(2000);
    expect(ref!.split(',')).toHaveLength(followUps.length);

    await run(true);
    expect(h.discord.requests.filter(isFollowUp)).toHaveLength(followUps.length);
    const isFollowUpEdit = (r: DiscordRequest) => r.method === 'PATCH' && new RegExp(`^/channels/${thread}/messages/\\d+$`).test(r.path);
    expect(h.discord.requests.filter(isFollowUpEdit)).toHaveLength(followUps.length);
  });

  it('GIVEN no key registered THEN the worker replies privately: the public deferral is deleted and the error goes in an ephemeral follow-up, no thread opened', async () => {
    const { h, job, token } = await queuedAsk('anyone there?', { keyless: true });
    const { handle } = discordWorker(h);
    await handle(job, { stalled: 0 });
    const original = `/webhooks/${APPLICATION_ID}/${token}/messages/@original`;
    expect(h.discord.requests.some((r) => r.method === 'DELETE' && r.path === original)).toBe(true);
    const followUp = h.discord.requests.find((r) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${token}`)!;
    expect(Number(followUp.body!['flags']) & 64).toBe(64);
    expect(textOf(followUp.body)).toMatch(/^⚠️ /);
    expect(h.discord.requests.some((r) => r.path.endsWith('/threads'))).toBe(false);
    expect(modelCalls(h)).toBe(0);
  });

  it('GIVEN an answer streamed slowly THEN the worker fills the deferred reply in by spaced edits over REST, the final answer last', async () => {
    const text = Array.from({ length: 10 }, (_, n) => `part${n}`).join(' ');
    vendorAnswer.next = () => ({ text, usage: { input: 40, output: 10 }, chunkDelayMs: 25 });
    const { h, job, token } = await queuedAsk('stream it');
    const { handle } = discordWorker(h, { streamEditMs: 60 });
    await handle(job, { stalled: 0 });
    const edits = h.discord.requests.filter(isEdit(token)).map((r) => textOf(r.body));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThan(10);
    expect(edits.slice(0, -1).every((e) => e.endsWith(' …'))).toBe(true);
    expect(edits.at(-1)).toMatch(new RegExp(`^> stream it\\n${text}\\n-# `));
  });
});
