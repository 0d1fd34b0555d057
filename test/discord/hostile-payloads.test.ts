import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordRequest } from '../fakes/discord-api.ts';
import { until } from '../helpers/until.ts';
import { CHANNEL, GUILD, isCallback, isEdit, startDiscord, type DiscordHarness, textOf } from './harness.ts';

/** Whatever escapes the bot's handlers while a test runs: in the real process, any of these ends it (exit 1). */
const escaped: unknown[] = [];
const record = (e: unknown) => void escaped.push(e);
beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
});
afterEach(() => {
  process.off('unhandledRejection', record);
  process.off('uncaughtException', record);
});

const ask = { name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: 'Capital of France?' }] };

/** The bot still serves: a valid /ask is answered by the model. */
async function stillAnswers(h: DiscordHarness): Promise<void> {
  const { token } = h.discord.interaction(ask);
  const edit = await h.discord.waitFor(isEdit(token), 20_000);
  expect(textOf(edit.body)).toContain('Paris');
  expect(escaped).toEqual([]);
}

/** A private refusal, as Discord shows one: an ephemeral message answering the interaction itself. */
function refusal(cb: DiscordRequest): string {
  expect(cb.body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
  return String((cb.body!['data'] as { content: string }).content);
}

const modelCalls = (h: DiscordHarness) => h.vendor.requests.filter((r) => r.model);

describe('Discord: hostile gateway payloads', () => {
  it('GIVEN an interaction whose member permissions are "abc" THEN it is refused privately, naming the permissions, and the bot keeps answering', async () => {
    const h = await startDiscord();
    const { id, token } = h.discord.interaction({ ...ask, permissions: 'abc' });
    expect(refusal(await h.discord.waitFor(isCallback(id, token)))).toMatch(/permissions/);
    expect(modelCalls(h)).toHaveLength(0);
    await stillAnswers(h);
  });

  it('GIVEN member permissions "32.5" THEN the same: refused, no model call, still serving', async () => {
    const h = await startDiscord();
    const { id, token } = h.discord.interaction({ ...ask, permissions: '32.5' });
    expect(refusal(await h.discord.waitFor(isCallback(id, token)))).toMatch(/permissions/);
    expect(modelCalls(h)).toHaveLength(0);
    await stillAnswers(h);
  });

  it('GIVEN a slash command interaction with no data THEN it is refused privately (the command could not be read) and the bot keeps answering', async () => {
    const h = await startDiscord();
    const { id, token } = h.discord.interaction({ ...ask, tamper: ({ data: _data, ...rest }) => rest });
    expect(refusal(await h.discord.waitFor(isCallback(id, token)))).toMatch(/command/);
    expect(modelCalls(h)).toHaveLength(0);
    await stillAnswers(h);
  });

  it('GIVEN INTERACTION_CREATE with d: null THEN a warning is logged (nothing to answer) and the bot keeps answering', async () => {
    const h = await startDiscord();
    h.discord.dispatch('INTERACTION_CREATE', null);
    const warning = await until('a warning about the event', () => h.logs.find((l) => l.includes('INTERACTION_CREATE') && l.includes('"level":40')), 15_000);
    expect(warning).toMatch(/refused/);
    await stillAnswers(h);
  });

  it('GIVEN /ask whose question is an object THEN it is refused in Discord’s terms and no model ever sees "[object Object]"', async () => {
    const h = await startDiscord();
    const { id, token } = h.discord.interaction({ ...ask, options: [{ name: 'question', type: 3, value: { a: 1 } as unknown as string }] });
    expect(refusal(await h.discord.waitFor(isCallback(id, token)))).toMatch(/The `question` option should be text, but Discord sent something else\./);
    expect(modelCalls(h)).toHaveLength(0);
    await stillAnswers(h);
    expect(h.vendor.requests.some((r) => JSON.stringify(r).includes('[object Object]'))).toBe(false);
  });

  it('GIVEN an event of an intent Hive never asked for (PRESENCE_UPDATE without its user, which discord.js throws on) THEN it never reaches discord.js: a warning, and the bot keeps answering', async () => {
    const h = await startDiscord();
    h.discord.dispatch('PRESENCE_UPDATE', { guild_id: GUILD, user: null, status: 'online' });
    const warning = await until('a warning naming the event', () => h.logs.find((l) => l.includes('refused') && l.includes('PRESENCE_UPDATE')), 15_000);
    expect(JSON.parse(warning)).toMatchObject({ level: 40, event: 'PRESENCE_UPDATE', reason: 'an event of an intent Hive does not ask for' });
    await stillAnswers(h);
  });

  it('GIVEN a second READY without its guilds (discord.js throws handling it) THEN the throw is caught and logged as a warning, and the bot keeps answering', async () => {
    const h = await startDiscord();
    h.discord.dispatch('READY', { v: 10, session_id: 'abc', user: null });
    const warning = await until('a warning naming the event', () => h.logs.find((l) => l.includes('discord.js failed')), 15_000);
    expect(JSON.parse(warning)).toMatchObject({ level: 40, err: { type: 'TypeError' } });
    await stillAnswers(h);
  });
});
