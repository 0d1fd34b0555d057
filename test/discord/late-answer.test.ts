import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, type DiscordRequest } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, isCallback, isEdit, startDiscord, vendorAnswer, textOf } from './harness.ts';

const ask = {
  name: 'ask',
  guildId: GUILD,
  channelId: CHANNEL,
  userId: '300000000000000009',
  options: [{ name: 'question', type: 3, value: 'Summarise the quarter' }],
};
const isChannelPost = (r: DiscordRequest) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`;

describe('Discord: an answer after the interaction token ran out', () => {
  it('GIVEN a job that takes longer than the 15-minute token (fake clock) THEN the answer is posted in the channel naming the asker, without a ping, and the thread opens from it', async () => {
    let t = Date.parse('2026-12-01T12:00:00Z');
    vendorAnswer.next = () => ((t += 15 * 60_000), { text: 'Revenue grew.', usage: { input: 40, output: 3 } });
    const { discord } = await startDiscord({ now: () => t });
    const { token } = discord.interaction(ask);
    const post = await discord.waitFor(isChannelPost);
    expect(textOf(post.body)).toMatch(/^> Summarise the quarter\n<@300000000000000009> Revenue grew\.\n-# /);
    expect(post.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true });
    await discord.waitFor((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    expect(discord.requests.some(isEdit(token))).toBe(false);
  });

  it('GIVEN Discord refusing the edit as an expired token THEN the answer is posted in the channel instead of lost', async () => {
    const { discord } = await startDiscord();
    discord.failNext((r) => r.method === 'PATCH' && r.path.startsWith(`/webhooks/${APPLICATION_ID}/`), 401, { message: 'Invalid Webhook Token', code: 50027 });
    discord.interaction(ask);
    const post = await discord.waitFor(isChannelPost);
    expect(textOf(post.body)).toContain('<@300000000000000009> Paris is the capital of France.');
  });
});

describe('Discord: REST rate limits', () => {
  it('GIVEN a 429 on the edit THEN discord.js waits as told and sends it once more: no retry storm, nothing lost', async () => {
    const { discord } = await startDiscord();
    const edits = (r: DiscordRequest) => r.method === 'PATCH' && r.path.startsWith(`/webhooks/${APPLICATION_ID}/`);
    discord.failNext(
      edits,
      429,
      { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' },
    );
    const { token } = discord.interaction(ask);
    await discord.waitFor((r) => isEdit(token)(r) && discord.requests.filter(edits).length >= 2);
    expect(discord.requests.filter(edits)).toHaveLength(2);
    expect(textOf(discord.requests.filter(edits)[1]!.body)).toContain('Paris is the capital of France.');
    expect(discord.requests.some(isChannelPost)).toBe(false);
  });
});

describe('Discord: graceful stop', () => {
  it('GIVEN an answer in flight WHEN the adapter stops THEN that answer is still delivered before it disconnects, and nothing new is taken', async () => {
    vendorAnswer.next = () => ({ text: 'Slow but sure.', usage: { input: 40, output: 4 }, latencyMs: 400 });
    const { discord, adapter, vendor } = await startDiscord();
    const { id, token } = discord.interaction(ask);
    await discord.waitFor(isCallback(id, token));
    await adapter.stop();
    expect(textOf(discord.requests.find(isEdit(token))?.body)).toContain('Slow but sure.');
    const before = vendor.requests.filter((r) => r.model).length;
    discord.interaction(ask); // the gateway is closed: nothing arrives, nothing runs
    await new Promise((r) => setTimeout(r, 200));
    expect(vendor.requests.filter((r) => r.model).length).toBe(before);
  });
});
