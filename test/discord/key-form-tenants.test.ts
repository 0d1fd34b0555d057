import { describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, KEY, KEY_B, MANAGE_GUILD, isEdit, isPrivateReply, sentMessage, startDiscord, textOf } from './harness.ts';

/** A second server with Hive in it, whose members type into the key form. */
const GUILD_B = '400000000000000901';
const CHANNEL_B = '400000000000000902';
/** Well-formed as a key, so the vendor is asked, and refused by it. */
const REFUSED = 'Kubernetes-password-reset-runbook';
/** A piece of B's stored key without any vendor shape: only the registry can know it. */
const PIECE_OF_B = KEY_B.slice(9);

async function submitKey(discord: FakeDiscord, permissions: string, key: string): Promise<string> {
  const { token } = discord.modalSubmit({
    guildId: GUILD_B,
    channelId: CHANNEL_B,
    permissions,
    customId: 'hive-keys',
    selects: { vendor: ['openai'] },
    fields: { key },
  });
  return textOf((await discord.waitFor(isEdit(token))).body);
}

/** What the asker saw: the deferred reply edited with the answer, or the private reply with the refusal. */
async function ask(discord: FakeDiscord, guildId: string, channelId: string, question: string): Promise<string> {
  const { token } = discord.interaction({ name: 'ask', guildId, channelId, options: [{ name: 'question', type: 3, value: question }] });
  const seen = await discord.waitFor((r) => isPrivateReply(token)(r) || (isEdit(token)(r) && textOf(r.body).includes('\n-# ')));
  return textOf(sentMessage(seen));
}

describe('Discord: a key form submitted in one server', () => {
  it('GIVEN a member and an admin of B submitting words, a refused key and a good key THEN A asks about the same words as before, and only B refuses its own key', async () => {
    const { discord, vendor, hive, logs } = await startDiscord();
    const typed = ['the meeting', 'Kubernetes', 'password reset'];
    const member = [];
    for (const text of [...typed, REFUSED]) member.push(await submitKey(discord, '0', text));
    expect(member.every((m) => m === 'Only members with Manage Server can manage keys.')).toBe(true);
    const admin = [];
    for (const text of [...typed, REFUSED]) admin.push(await submitKey(discord, MANAGE_GUILD, text));
    expect(admin.slice(0, 3).every((m) => /contains spaces|does not look like/.test(m))).toBe(true);
    expect(admin[3]).toContain('OpenAI rejected this key');
    expect(await submitKey(discord, MANAGE_GUILD, KEY_B)).toMatch(/^Saved the OpenAI key ••••8765/);
    expect(await hive.keys.list(`discord:${GUILD_B}`)).toEqual([expect.objectContaining({ vendor: 'openai', health: 'ok' })]);
    expect(logs.join('\n')).not.toMatch(new RegExp(`${REFUSED}|${KEY_B}`));

    const questions = ['When is the meeting about Kubernetes?', 'How do I do a password reset?', `What does ${REFUSED} cover?`, `Is ${PIECE_OF_B} a build id?`];
    for (const q of questions) {
      const seen = await ask(discord, GUILD, CHANNEL, q);
      expect(seen).not.toContain('looks like an API key');
      expect(seen).toContain('Paris is the capital of France.');
    }
    const calls = vendor.requests.filter((r) => r.model);
    expect(calls.map((c) => [c.lastUserText, c.apiKey])).toEqual(questions.map((q) => [q, KEY]));

    // B's own stored key is still kept out of B's questions.
    const own = await ask(discord, GUILD_B, CHANNEL_B, `Is ${PIECE_OF_B} a build id?`);
    expect(own).toContain('looks like an API key');
    expect(own).not.toContain(PIECE_OF_B);
  });
});
