import { describe, expect, it } from 'vitest';
import type { DiscordRequest } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, isEdit, startDiscord, textOf } from './harness.ts';

/** About 19,000 characters of distinct words in paragraphs of sentences, so any word lost, repeated or moved shows. */
function longAnswer(): { text: string; words: string[] } {
  const words = Array.from({ length: 2_700 }, (_, k) => `w${String(k).padStart(5, '0')}`);
  const paragraphs: string[] = [];
  for (let k = 0; k < words.length; k += 60) paragraphs.push(`${words.slice(k, k + 60).join(' ')}.`);
  return { text: paragraphs.join('\n\n'), words };
}

const IS_COMPONENTS_V2 = 1 << 15;
type Component = { type: number; content?: string; components?: Component[] };
const countComponents = (cs: Component[]): number => cs.reduce((n, c) => n + 1 + countComponents(c.components ?? []), 0);

describe('Discord: a very long answer', () => {
  it('GIVEN a 19k-character answer THEN it is one channel message and a thread with the rest, each part within limits, every word once and in order', async () => {
    const { text, words } = longAnswer();
    expect(text.length).toBeGreaterThan(18_500);
    const { discord } = await startDiscord({ respond: () => ({ text, usage: { input: 40, output: 5_000 } }) });
    const { token } = discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      userId: '300000000000000009',
      options: [{ name: 'question', type: 3, value: 'Count for me' }],
    });
    const original = discord.originalMessageId(token);
    const inThread = (r: DiscordRequest) => r.method === 'POST' && r.path === `/channels/${original}/messages`;
    const last = await discord.waitFor((r) => inThread(r) && textOf(r.body).includes('\n-# '));
    const first = discord.requests.filter(isEdit(token)).at(-1)!;
    const rest = discord.requests.filter(inThread);
    expect(rest.at(-1)).toBe(last);
    // Nothing else went to the channel: the rest is in the thread opened from the first message.
    expect(discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`)).toEqual([]);
    expect(discord.requests.some((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${original}/threads`)).toBe(true);
    for (const part of [first, ...rest]) {
      const components = (part.body?.['components'] ?? []) as Component[];
      if (Number(part.body?.['flags'] ?? 0) & IS_COMPONENTS_V2) {
        expect(textOf(part.body).length).toBeLessThanOrEqual(4_000);
        expect(countComponents(components)).toBeLessThanOrEqual(40);
      } else expect(String(part.body?.['content']).length).toBeLessThanOrEqual(2_000);
      for (const c of components.flatMap((x) => x.components ?? [])) if (c.content !== undefined) expect(c.content.length).toBeLessThanOrEqual(2_000);
    }
    const shown = [first, ...rest].map((r) => textOf(r.body)).join('\n');
    expect(shown.match(/w\d{5}/g)).toEqual(words);
    expect(rest.length).toBeGreaterThanOrEqual(9);
  });
});
