import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { type DiscordRequest } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, KEY, MANAGE_GUILD, TOKEN, isCallback, isEdit, startDiscord, vendorAnswer, textOf } from './harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

describe('Discord: /ask as a slash command', () => {
  it('GIVEN /ask with question and model options THEN it is deferred, then edited with the answer and a footer with the exact cost, mentions off', async () => {
    const { discord, vendor, hive } = await startDiscord();
    expect(discord.identifies).toHaveLength(1);
    const { id, token } = discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      options: [
        { name: 'question', type: 3, value: 'What is the capital of France? @everyone' },
        { name: 'model', type: 3, value: 'openai:gpt-6-luna' },
      ],
    });
    const deferred = await discord.waitFor((r) => r.method === 'POST' && r.path === `/interactions/${id}/${token}/callback`);
    expect(deferred.body).toMatchObject({ type: 5 });
    const edit = await discord.waitFor(isEdit(token));
    const content = textOf(edit.body);
    // The question echoed (others do not see a slash command's options), the answer, the footer.
    expect(content).toMatch(/^> What is the capital of France\? @everyone\nParis is the capital of France\.\n-# gpt-6-luna · /);
    const usage = { ...ZERO_USAGE, inputTokens: 40, outputTokens: 9 };
    expect(content).toContain(formatUsd(computeCost(builtInPrices, 'openai', 'gpt-6-luna', usage, { at: new Date() })!.usd));
    expect(edit.body!['allowed_mentions']).toEqual({ parse: [] });
    // The guild's own key, with the question as the user typed it.
    const call = vendor.requests.find((r) => r.model)!;
    expect(call.apiKey).toBe(KEY);
    expect(call.lastUserText).toBe('What is the capital of France? @everyone');
    // The evidence is the guild's.
    const evidenceId = /evidence (\w{26})/.exec(content)![1]!;
    expect(await hive.evidence.get(evidenceId, `discord:${GUILD}`)).toMatchObject({ platform: 'discord', channelId: CHANNEL });
  });

  it('GIVEN an answer longer than 2,000 characters THEN it is split into parts, each within the limit and with mentions off, the rest in the thread opened from the first', async () => {
    const paragraph = 'word '.repeat(120).trim();
    vendorAnswer.next = () => ({ text: Array.from({ length: 8 }, () => paragraph).join('\n\n'), usage: { input: 40, output: 900 } });
    const { discord } = await startDiscord();
    const { token } = discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'long please' }] });
    const isFollowUp = (r: DiscordRequest) => r.method === 'POST' && r.path === `/channels/${discord.originalMessageId(token)}/messages`;
    await discord.waitFor((r) => isFollowUp(r) && textOf(r.body).includes('\n-# '));
    const sent = discord.requests.filter((r) => isEdit(token)(r) || isFollowUp(r));
    expect(sent.length).toBeGreaterThanOrEqual(3); // 4,800 characters of answer
    for (const r of sent) {
      expect(textOf(r.body).length).toBeLessThanOrEqual(2000);
      expect(r.body!['allowed_mentions']).toEqual({ parse: [] });
    }
    // Nothing lost: the parts joined give back every word, the footer last.
    const words = sent
      .map((r) => textOf(r.body))
      .join(' ')
      .split(/\s+/)
      .filter((w) => w === 'word');
    expect(words).toHaveLength(8 * 120);
  });

  it('GIVEN the bot token THEN it appears in no log line and no stored byte', async () => {
    const { discord, logs, dataDir } = await startDiscord();
    const { token } = discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'hi' }] });
    await discord.waitFor(isEdit(token));
    expect(discord.requests.find((r) => r.path === '/gateway/bot')!.headers['authorization']).toBe(`Bot ${TOKEN}`);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(KEY);
    for (const f of readdirSync(dataDir)) {
      const bytes = readFileSync(path.join(dataDir, f));
      expect(bytes.includes(TOKEN)).toBe(false);
      expect(bytes.includes(KEY)).toBe(false);
    }
  });
});

describe('Discord: the thread assistant', () => {
  it('GIVEN /ask in a channel THEN a public thread opens from the answer; a follow-up there, without a mention, is answered in it with the thread so far as context', async () => {
    const { discord, vendor } = await startDiscord();
    const { token } = discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      options: [{ name: 'question', type: 3, value: 'What is the capital of France?' }],
    });
    const edit = await discord.waitFor(isEdit(token));
    const opened = await discord.waitFor((r) => r.method === 'POST' && /^\/channels\/\d+\/messages\/[^/]+\/threads$/.test(r.path));
    expect(opened.path).toBe(`/channels/${CHANNEL}/messages/${discord.messagesIn(CHANNEL)[0]!['id']}/threads`);
    expect(opened.body).toMatchObject({ name: 'What is the capital of France?' });
    expect(textOf(edit.body)).toContain('Paris');
    const thread = String(discord.messagesIn(CHANNEL)[0]!['id']);
    // Said while Hive was away (no event), then another bot, then the follow-up.
    discord.userMessage({ channelId: thread, content: 'I always mix it up with Lyon.', quietly: true });
    discord.userMessage({ channelId: thread, content: 'beep, I am a bot', bot: true });
    vendorAnswer.next = () => ({ text: 'Lyon is the third largest city.', usage: { input: 80, output: 7 } });
    discord.userMessage({ channelId: thread, content: 'And Lyon?' });
    const reply = await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`);
    expect(textOf(reply.body)).toMatch(/^Lyon is the third largest city\.\n-# gpt-6-luna · /);
    expect(reply.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true });
    expect(String(reply.body!['nonce'])).toMatch(/^\d{1,25}$/);
    expect(discord.requests.some((r) => r.method === 'POST' && r.path === `/channels/${thread}/typing`)).toBe(true);
    // One model call per human message: the other bot's message and Hive's own post started nothing.
    const calls = vendor.requests.filter((r) => r.model);
    expect(calls).toHaveLength(2);
    const sent = (calls[1]!.body as { messages: { role: string; content: string }[] }).messages.filter((m) => m.role !== 'system');
    expect(sent).toEqual([
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris is the capital of France.' },
      { role: 'user', content: 'I always mix it up with Lyon.' },
      { role: 'user', content: 'And Lyon?' },
    ]);
  });
});

describe('Discord: a long thread', () => {
  it('GIVEN a thread longer than the history budget THEN the follow-up gets its latest messages, and the footer says how many were trimmed', async () => {
    const { discord, vendor } = await startDiscord();
    const { token } = discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      options: [{ name: 'question', type: 3, value: 'Plan the migration' }],
    });
    await discord.waitFor(isEdit(token));
    await discord.waitFor((r) => r.method === 'POST' && /\/threads$/.test(r.path));
    const thread = String(discord.messagesIn(CHANNEL)[0]!['id']);
    for (let k = 0; k < 24; k++) discord.userMessage({ channelId: thread, content: `note ${k}: ${'x'.repeat(1_900)}`, quietly: true });
    discord.userMessage({ channelId: thread, content: 'So what is step one?' });
    const reply = await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`);
    expect(textOf(reply.body)).toMatch(/\n-# .*context trimmed \(\d+ earlier messages\)/);
    const sent = JSON.stringify(vendor.requests.filter((r) => r.model).at(-1)!.body);
    expect(sent).toContain('note 23:');
    expect(sent).toContain('So what is step one?');
    expect(sent).not.toContain('Plan the migration');
  });
});

describe('Discord: a streaming answer', () => {
  it('GIVEN an answer streamed slowly THEN the deferred reply fills in by spaced edits, and the final edit (with the footer) is the last, never overtaken', async () => {
    const text = Array.from({ length: 12 }, (_, n) => `part${n}`).join(' ');
    vendorAnswer.next = () => ({ text, usage: { input: 40, output: 12 }, chunkDelayMs: 40 });
    const { discord } = await startDiscord({ streamEditMs: 100 });
    const { token } = discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'stream it' }] });
    await discord.waitFor((r) => isEdit(token)(r) && textOf(r.body).includes('\n-# '));
    const edits = discord.requests.filter(isEdit(token)).map((r) => textOf(r.body));
    expect(edits.length).toBeGreaterThanOrEqual(2); // at least one partial, then the answer
    expect(edits.length).toBeLessThan(12); // coalesced, not one edit per chunk
    expect(edits.slice(0, -1).every((e) => e.endsWith(' …') && !e.includes('\n-# '))).toBe(true);
    expect(edits.at(-1)).toMatch(new RegExp(`^> stream it\\n${text}\\n-# `));
    for (const r of discord.requests.filter(isEdit(token))) expect(r.body!['allowed_mentions']).toEqual({ parse: [] });
  });
});

describe('Discord: answering in threads only when mentioned', () => {
  it('GIVEN /hive threads mentions THEN a follow-up without a mention is left alone and one with a mention is answered', async () => {
    const { discord, vendor } = await startDiscord();
    const { token } = discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'first' }] });
    await discord.waitFor(isEdit(token));
    await discord.waitFor((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    const thread = String(discord.messagesIn(CHANNEL)[0]!['id']);
    const set = discord.interaction({
      name: 'hive',
      guildId: GUILD,
      channelId: CHANNEL,
      permissions: MANAGE_GUILD,
      options: [{ name: 'threads', type: 1, value: '', options: [{ name: 'args', type: 3, value: 'mentions' }] }],
    });
    const done = await discord.waitFor(isCallback(set.id, set.token));
    expect(String((done.body!['data'] as { content: string }).content)).toContain('Workspace: mentions.');
    discord.userMessage({ channelId: thread, content: 'just chatting' });
    discord.userMessage({ channelId: thread, content: 'what about Lyon?', mentionBot: true });
    const reply = await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`);
    expect(textOf(reply.body)).toContain('Paris');
    await new Promise((r) => setTimeout(r, 200));
    expect(vendor.requests.filter((r) => r.model)).toHaveLength(2); // the /ask and the mention; not the chatter
    expect(discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`)).toHaveLength(1);
  });
});
