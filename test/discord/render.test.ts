import { describe, expect, it } from 'vitest';
import { renderDiscordReply, renderPreview, splitMessage, threadName } from '../../adapters/chat/discord/render.ts';
import { CHANNEL, GUILD, isEdit, startDiscord, textOf } from './harness.ts';

/** Characters that move a cursor, recolour a terminal or reorder text: NUL, ESC, C1 controls, bidi marks, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A question meant to spoof: a right-to-left override turning "exe.txt" around, an ANSI colour, a NUL. */
const SPOOF = 'open invoice\u202etxt.exe and \u001b[31mred\u001b[0m\u0000 please';
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : [];

describe('Discord rendering', () => {
  it('GIVEN a reply THEN the footer is subtext on its own line, an error is marked, sections follow the body', () => {
    expect(renderDiscordReply({ text: 'Hi', visibility: 'channel', footer: 'gpt-6-luna · $0.01' })).toEqual(['Hi\n-# gpt-6-luna · $0.01']);
    expect(renderDiscordReply({ text: 'No key', visibility: 'private', tone: 'error' })).toEqual(['⚠️ No key']);
    expect(renderDiscordReply({ text: 'A', visibility: 'channel', sections: [{ title: 'Members', text: '- x' }] })).toEqual(['A\n\n**Members**\n- x']);
  });

  it('GIVEN a long code block THEN each part is within the limit and its fence is closed and re-opened with its language', () => {
    const code = Array.from({ length: 200 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const parts = splitMessage(`Here:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`, 500);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect((p.match(/^```/gm) ?? []).length % 2).toBe(0); // every part's fences balance
    }
    expect(parts[1]!.startsWith('```ts\n')).toBe(true);
    const lines = parts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('const line'));
    expect(lines).toHaveLength(200);
    expect(parts.at(-1)!.endsWith('Done.')).toBe(true);
  });

  it('GIVEN text without breaks THEN it is cut hard, never inside a surrogate pair', () => {
    const parts = splitMessage('🙂'.repeat(600), 101);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(101);
    expect(parts.join('')).toBe('🙂'.repeat(600));
  });

  it('GIVEN control and bidi characters in the question, the answer, a section or the footer THEN each is shown escaped, tabs and newlines kept', () => {
    const parts = renderDiscordReply(
      { text: `Echo: ${SPOOF}\n\tindented`, question: SPOOF, visibility: 'channel', sections: [{ title: 'T\u2066', text: 'x\u009b' }], footer: 'f\u200f' },
      { echoQuestion: true },
    );
    const all = parts.join('\n');
    expect(all).not.toMatch(CONTROL);
    expect(all).toContain('> open invoice\\u202etxt.exe and \\x1b[31mred\\x1b[0m\\x00 please\n');
    expect(all).toContain('\n\tindented');
    expect(all).toContain('**T\\u2066**\nx\\x9b');
    expect(all).toContain('-# f\\u200f');
    expect(renderPreview(SPOOF, '')).not.toMatch(CONTROL);
    expect(renderPreview('', 'waiting\u202e')).toBe('-# waiting\\u202e…');
    expect(threadName(SPOOF)).toBe('open invoice\\u202etxt.exe and \\x1b[31mred\\x1b[0m\\x00 please');
  });
});

describe('Discord rendering, through the fake Discord', () => {
  it('GIVEN /ask with control and bidi characters that the model repeats THEN the echoed question, the answer and the thread name show them escaped', async () => {
    const h = await startDiscord({ respond: (req) => ({ text: `You asked: ${req.lastUserText}`, usage: { input: 20, output: 10 } }) });
    const { token } = h.discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: SPOOF }] });
    const edit = textOf((await h.discord.waitFor((r) => isEdit(token)(r) && textOf(r.body).includes('-# '))).body);
    expect(h.vendor.requests.find((r) => r.model)?.lastUserText).toBe(SPOOF); // the model gets the question as typed
    expect(edit).not.toMatch(CONTROL);
    expect(edit.split('\n')[0]).toBe('> open invoice\\u202etxt.exe and \\x1b[31mred\\x1b[0m\\x00 please');
    expect(edit).toContain('You asked: open invoice\\u202etxt.exe');
    const thread = await h.discord.waitFor((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    expect(String(thread.body!['name'])).not.toMatch(CONTROL);
    // Nothing Hive sent Discord carries one raw.
    for (const r of h.discord.requests) for (const t of strings(r.body)) expect(t).not.toMatch(CONTROL);
  });
});
