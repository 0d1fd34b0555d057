import { describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { CHANNEL, GUILD, discordWorker, isEdit, startDiscord, textOf } from './harness.ts';

const IS_COMPONENTS_V2 = 1 << 15;
const ask = (question: string) => ({
  name: 'ask',
  guildId: GUILD,
  channelId: CHANNEL,
  userId: '300000000000000009',
  options: [{ name: 'question', type: 3, value: question }],
});

describe('Discord at scale-out: a job resumed on another worker', () => {
  it('GIVEN a first run made the deferred reply Components V2 THEN a resumed run edits it as V2, even with a reply without buttons', async () => {
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue });
    const { token } = h.discord.interaction(ask('What is the capital of France?'));
    const [job] = await queue.waitFor(1);
    let ref: string | undefined;
    const delivery = (resumed: boolean) => ({ resumed, ...(ref ? { ref } : {}), posted: async (r: string) => void (ref = r) });

    const first = discordWorker(h).answerer;
    await h.hive.dispatcher.handle(await first.resume(job!, delivery(false)));
    const answered = h.discord.requests.filter(isEdit(token)).at(-1)!;
    expect(Number(answered.body!['flags']) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);

    // Another worker picks the job up again: what it writes into the reply must keep the flag, or Discord refuses the edit.
    const second = discordWorker(h).answerer;
    const resumed = await second.resume(job!, delivery(true));
    await resumed.respond({ text: 'Something went wrong; try again.', visibility: 'channel', tone: 'error' });
    const edit = h.discord.requests.filter(isEdit(token)).at(-1)!;
    expect(edit).not.toBe(answered);
    expect(Number(edit.body!['flags']) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(edit.body).toMatchObject({ content: null, allowed_mentions: { parse: [] } });
    expect(textOf(edit.body)).toContain('Something went wrong');
  });

  it('GIVEN a V2 reply THEN the fake Discord refuses an edit that drops the flag, as Discord does', async () => {
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue });
    const { token } = h.discord.interaction(ask('What is the capital of France?'));
    const [job] = await queue.waitFor(1);
    const { answerer } = discordWorker(h);
    await h.hive.dispatcher.handle(await answerer.resume(job!, { resumed: false, posted: async () => undefined }));
    const fresh = await discordWorker(h).answerer.resume(job!, { resumed: false, posted: async () => undefined });
    await expect(fresh.respond({ text: 'Plain.', visibility: 'channel', tone: 'error' })).rejects.toThrow(/Invalid Form Body/);
    expect(h.discord.requests.filter(isEdit(token)).length).toBeGreaterThan(1);
  });
});
