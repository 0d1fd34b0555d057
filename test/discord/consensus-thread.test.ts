import { describe, expect, it } from 'vitest';
import type { FakeRequest } from '../fakes/fake-vendor.ts';
import { ANTHROPIC_KEY, CHANNEL, GUILD, KEY, isEdit, startDiscord, textOf } from './harness.ts';

const isThreadOpen = (r: { method: string; path: string }) => r.method === 'POST' && /\/messages\/[^/]+\/threads$/.test(r.path);

/** The turns a vendor was sent, system prompt aside, whatever its wire format. */
function turns(req: FakeRequest): string {
  return JSON.stringify(req.body);
}

describe('Discord: /consensus in one of Hive’s threads', () => {
  it('GIVEN a thread Hive opened WHEN /consensus is used in it THEN it is answered in place (no new thread), every member gets the thread as context, on the guild’s keys', async () => {
    const h = await startDiscord({
      anthropic: true,
      respond: (req) =>
        turns(req).includes('And 7 times 8') ? { text: '56', usage: { input: 90, output: 2 } } : { text: '42', usage: { input: 40, output: 2 } },
    });
    const first = h.discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      options: [{ name: 'question', type: 3, value: 'What is 6 times 7?' }],
    });
    await h.discord.waitFor(isEdit(first.token));
    await h.discord.waitFor(isThreadOpen);
    const thread = String(h.discord.messagesIn(CHANNEL)[0]!['id']);
    h.discord.userMessage({ channelId: thread, content: 'Keep the answers short.', quietly: true });

    const asked = h.discord.interaction({
      name: 'consensus',
      guildId: GUILD,
      channelId: thread,
      options: [{ name: 'question', type: 3, value: 'And 7 times 8?' }],
    });
    const edit = await h.discord.waitFor(isEdit(asked.token), 20_000);
    const content = textOf(edit.body);
    expect(content).toContain('56');
    expect(content).toMatch(/2\/2 agree/);
    expect(content).toMatch(/\n-# .*evidence \w{26}/);
    expect(edit.body!['allowed_mentions']).toEqual({ parse: [] });
    // Answered where it was asked: only the first answer opened a thread.
    expect(h.discord.requests.filter(isThreadOpen)).toHaveLength(1);

    const members = [...h.vendor.requests, ...h.anthropic!.requests].filter((r) => r.model && turns(r).includes('And 7 times 8'));
    expect(members.map((r) => r.apiKey).sort()).toEqual([KEY, ANTHROPIC_KEY].sort());
    for (const m of members) {
      expect(turns(m)).toContain('What is 6 times 7?');
      expect(turns(m)).toContain('Keep the answers short.');
    }
  });
});
