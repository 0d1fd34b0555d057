import { describe, expect, it } from 'vitest';
import type { DiscordRequest } from '../fakes/discord-api.ts';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { CHANNEL, GUILD, discordWorker, isCallback, isEdit, isPrivateReply, sentMessage, startDiscord, textOf, vendorAnswer } from './harness.ts';

const EPHEMERAL = 64;
const ask = (options: { name: string; type: number; value: string }[]) => ({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options });
const question = (value: string) => ({ name: 'question', type: 3, value });
/** Everything an interaction's token wrote, and every message posted in a channel. */
const writesOf = (token: string) => (r: DiscordRequest) => r.method !== 'GET' && (r.path.includes(token) || /^\/channels\/\d+\/messages/.test(r.path));

describe('Discord: a refusal made at once is private from the start', () => {
  for (const [name, options] of [
    ['an empty question', [question('')]],
    ['an unknown model typed as a flag', [question('--model nosuch:x hi')]],
    ['an unknown model in the model option', [question('hi'), { name: 'model', type: 3, value: 'nosuch:x' }]],
  ] as const) {
    it(`GIVEN /ask with ${name} THEN one private reply is the interaction's response: no public "thinking…", nothing deleted`, async () => {
      const { discord, vendor } = await startDiscord();
      const { id, token } = discord.interaction(ask([...options]));
      const told = await discord.waitFor(isPrivateReply(token));
      expect(told.path).toMatch(/\/callback$/);
      expect(sentMessage(told)).toMatchObject({ flags: EPHEMERAL, allowed_mentions: { parse: [] } });
      expect(textOf(sentMessage(told))).toMatch(/^⚠️ /);
      // A later answer on the same channel is the proof nothing else was on its way for this one.
      const later = discord.interaction(ask([question('What is the capital of France?')]));
      await discord.waitFor((r) => isEdit(later.token)(r) && textOf(r.body).includes('\n-# '));
      expect(discord.requests.filter(writesOf(token))).toEqual([told]);
      expect(discord.requests.filter(isCallback(id, token))).toHaveLength(1);
      expect(vendor.requests.filter((r) => r.model)).toHaveLength(1);
    });
  }

  it('GIVEN an answer slower than the wait THEN the reply is deferred publicly, then edited with the answer', async () => {
    vendorAnswer.next = () => ({ text: 'Paris, after a while.', usage: { input: 40, output: 5 }, latencyMs: 1_800 });
    const { discord } = await startDiscord({ streamEditMs: 5_000 });
    const { id, token } = discord.interaction(ask([question('What is the capital of France?')]));
    const deferred = await discord.waitFor(isCallback(id, token));
    expect(deferred.body).toMatchObject({ type: 5, data: { flags: 0 } });
    const answer = await discord.waitFor((r) => isEdit(token)(r) && textOf(r.body).includes('\n-# '));
    expect(textOf(answer.body)).toContain('Paris, after a while.');
    expect(discord.requests.indexOf(deferred)).toBeLessThan(discord.requests.indexOf(answer));
  });

  it('GIVEN /ask at an intake with a queue THEN the reply is deferred as it is queued, and the worker edits the answer in', async () => {
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue });
    const { id, token } = h.discord.interaction(ask([question('What is the capital of France?')]));
    const [job] = await queue.waitFor(1);
    expect((await h.discord.waitFor(isCallback(id, token))).body).toMatchObject({ type: 5 });
    await discordWorker(h).handle(job!, { stalled: 0 });
    expect(textOf(h.discord.requests.filter(isEdit(token)).at(-1)!.body)).toMatch(/Paris is the capital of France\.\n-# /);
  });

  it('GIVEN a queued /ask whose deferral has not landed yet THEN the worker writes nothing through the token until it has', async () => {
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue, keyless: true });
    const release = h.discord.holdNext((r) => r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path));
    const { id, token } = h.discord.interaction(ask([question('why?')]));
    const [job] = await queue.waitFor(1);
    const deferral = await h.discord.waitFor(isCallback(id, token));
    const handled = discordWorker(h).handle(job!, { stalled: 0 });
    // The worker asks whether the reply exists, and is told not yet, before it writes anything.
    await h.discord.waitFor((r) => r.method === 'GET' && r.path.endsWith(`${token}/messages/@original`));
    const tokenWrites = () => h.discord.requests.filter((r) => r.method !== 'GET' && r.path.includes(token) && r !== deferral);
    expect(tokenWrites()).toEqual([]);
    release();
    await handled;
    const told = await h.discord.waitFor(isPrivateReply(token));
    expect(textOf(sentMessage(told))).toMatch(/No usable key/);
    expect(h.discord.requests.indexOf(told)).toBeGreaterThan(h.discord.requests.indexOf(deferral));
    expect(tokenWrites().every((r) => !r.path.includes('/callback'))).toBe(true);
  });
});
