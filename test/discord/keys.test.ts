import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL, GUILD, KEY_B, MANAGE_GUILD, isCallback, isEdit, startDiscord } from './harness.ts';

const keysCommand = { name: 'hive', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'keys', type: 1, value: '' }] };

describe('Discord: /hive keys', () => {
  it('GIVEN a member with Manage Server THEN /hive keys opens the private form as its first response', async () => {
    const { discord } = await startDiscord();
    const { id, token } = discord.interaction({ ...keysCommand, permissions: MANAGE_GUILD });
    const cb = await discord.waitFor(isCallback(id, token));
    expect(cb.body).toMatchObject({ type: 9, data: { custom_id: 'hive-keys', title: 'Add a vendor key' } });
    // Each field in a Label: the vendor a list of the three vendors, the key a text input.
    const fields = (cb.body!['data'] as { components: { type: number; component: { type: number; custom_id: string; options?: { value: string }[] } }[] })
      .components;
    expect(fields.map((l) => [l.type, l.component.type, l.component.custom_id])).toEqual([
      [18, 3, 'vendor'],
      [18, 4, 'key'],
    ]);
    expect(fields[0]!.component.options!.map((o) => o.value)).toEqual(['anthropic', 'openai', 'google']);
  });

  it('GIVEN a member without it THEN the refusal is private and no form opens', async () => {
    const { discord } = await startDiscord();
    const { id, token } = discord.interaction({ ...keysCommand, permissions: '0' });
    const cb = await discord.waitFor(isCallback(id, token));
    expect(cb.body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(String((cb.body!['data'] as { content: string }).content)).toMatch(/^⚠️ Only members with the Manage Server permission can manage keys\./);
  });

  it('GIVEN the form submitted by an admin THEN the key is verified, stored encrypted, answered privately, and appears in no request, log or stored byte', async () => {
    const { discord, vendor, hive, logs, dataDir } = await startDiscord({ keyless: true });
    const { token } = discord.modalSubmit({
      guildId: GUILD,
      channelId: CHANNEL,
      permissions: MANAGE_GUILD,
      customId: 'hive-keys',
      selects: { vendor: ['openai'] },
      fields: { key: ` ${KEY_B} ` },
    });
    const done = await discord.waitFor(isEdit(token));
    expect(done.body).toMatchObject({ content: 'Saved the OpenAI key ••••8765; OpenAI accepted it.', allowed_mentions: { parse: [] } });
    expect(vendor.requests.some((r) => r.apiKey === KEY_B)).toBe(true); // verified with the vendor
    expect(await hive.keys.list(`discord:${GUILD}`)).toEqual([expect.objectContaining({ vendor: 'openai', health: 'ok' })]);
    for (const r of discord.requests) expect(JSON.stringify(r.body ?? {})).not.toContain(KEY_B);
    expect(logs.join('\n')).not.toContain(KEY_B);
    for (const f of readdirSync(dataDir)) expect(readFileSync(path.join(dataDir, f)).includes(KEY_B)).toBe(false);
  });

  it('GIVEN the form submitted by a member without Manage Server (re-checked on submit) THEN nothing is stored', async () => {
    const { discord, hive } = await startDiscord({ keyless: true });
    const { token } = discord.modalSubmit({
      guildId: GUILD,
      channelId: CHANNEL,
      permissions: '0',
      customId: 'hive-keys',
      selects: { vendor: ['openai'] },
      fields: { key: KEY_B },
    });
    const done = await discord.waitFor(isEdit(token));
    expect(done.body).toMatchObject({ content: 'Only members with Manage Server can manage keys.' });
    expect(await hive.keys.list(`discord:${GUILD}`)).toEqual([]);
  });

  it('GIVEN a forged or unknown vendor value (antropic) THEN nothing is stored, the key is not echoed, and the form is named to open again', async () => {
    const { discord, hive } = await startDiscord({ keyless: true });
    const { token } = discord.modalSubmit({
      guildId: GUILD,
      channelId: CHANNEL,
      permissions: MANAGE_GUILD,
      customId: 'hive-keys',
      selects: { vendor: ['antropic'] },
      fields: { key: KEY_B },
    });
    const done = await discord.waitFor(isEdit(token));
    expect(String(done.body!['content'])).toMatch(
      /^Choose the vendor from the form's list \(Anthropic, OpenAI, Google Gemini\)\. Nothing was stored; open the form again/,
    );
    expect(await hive.keys.list(`discord:${GUILD}`)).toEqual([]);
    for (const r of discord.requests) expect(JSON.stringify(r.body ?? {})).not.toContain(KEY_B);
  });

  it('GIVEN /hive usage THEN it is answered privately as the first response, no deferral', async () => {
    const { discord } = await startDiscord();
    const { id, token } = discord.interaction({ name: 'hive', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'usage', type: 1, value: '' }] });
    const cb = await discord.waitFor(isCallback(id, token));
    expect(cb.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String((cb.body!['data'] as { content: string }).content)).toContain('Usage');
  });
});

describe('Discord: model autocomplete', () => {
  it('GIVEN a user typing in /ask model THEN current priced models matching the text are suggested, retired ones never', async () => {
    const { discord } = await startDiscord();
    const typing = (value: string) =>
      discord.autocomplete({
        name: 'ask',
        guildId: GUILD,
        channelId: CHANNEL,
        options: [
          { name: 'question', type: 3, value: 'q' },
          { name: 'model', type: 3, value, focused: true },
        ],
      });
    const a = typing('luna');
    const cb = await discord.waitFor(isCallback(a.id, a.token));
    expect(cb.body).toMatchObject({ type: 8 });
    const choices = (cb.body!['data'] as { choices: { name: string; value: string }[] }).choices;
    expect(choices.map((c) => c.value)).toEqual(['openai:gpt-6-luna', 'openai:gpt-5.6-luna']);
    const b = typing('');
    const all = ((await discord.waitFor(isCallback(b.id, b.token))).body!['data'] as { choices: { value: string }[] }).choices.map((c) => c.value);
    expect(all.length).toBeGreaterThan(5);
    expect(all.length).toBeLessThanOrEqual(25);
    expect(all).not.toContain('anthropic:claude-3-5-haiku'); // retired
    const c = typing('sonnet-4');
    const retired = ((await discord.waitFor(isCallback(c.id, c.token))).body!['data'] as { choices: { value: string }[] }).choices.map((x) => x.value);
    expect(retired).toEqual(['anthropic:claude-sonnet-4-6']); // sonnet-4 and 4-5 are retired
  });
});
