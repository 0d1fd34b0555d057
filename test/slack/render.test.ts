import { afterEach, describe, expect, it } from 'vitest';
import { escapeMrkdwn, toMrkdwn } from '../../adapters/chat/slack/mrkdwn.ts';
import { renderReply } from '../../adapters/chat/slack/render.ts';
import { slackToPlain } from '../../adapters/chat/slack/slack-text.ts';
import { SLACK_LIMITS, splitMrkdwn } from '../../adapters/chat/slack/split.ts';
import { createUpdateGate } from '../../src/chat/live-reply.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { KEY, TEAM, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';

const HOSTILE = [
  'Hey <!channel> and <!here|here> and <!everyone>, also @channel @here @everyone.',
  'Ping <@U0VICTIM> in <#C0SECRET|secret> via <https://evil.example/steal|https://docs.slack.com>.',
  'A [friendly link](https://evil.example/x?a=1&b=2) and <b>html</b> & more.',
  '```',
  'code with <!channel> & <@U0VICTIM>',
  '```',
].join('\n');

/** Characters that move a cursor, recolour a terminal or reorder text: NUL, ESC, C1 controls, bidi marks, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A question meant to spoof: a right-to-left override turning "exe.txt" around, an ANSI colour, a NUL. */
const SPOOF = 'open invoice\u202etxt.exe and \u001b[31mred\u001b[0m\u0000 please';
const SHOWN = 'open invoice\\u202etxt.exe and \\x1b[31mred\\x1b[0m\\x00 please';
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : [];

/** True if the mrkdwn could notify anyone or disguise a link. */
function dangerous(mrkdwn: string): string[] {
  const found: string[] = [];
  if (/<[!@#]/.test(mrkdwn)) found.push('special mention or channel link');
  if (/<[^>]*\|[^>]*>/.test(mrkdwn)) found.push('labelled link');
  if (/@(channel|here|everyone)\b/i.test(mrkdwn)) found.push('plain mass mention');
  return found;
}

describe('mrkdwn', () => {
  it('neutralises mass mentions, injected mentions and disguised links, keeping code blocks', () => {
    const out = toMrkdwn(HOSTILE);
    expect(dangerous(out)).toEqual([]);
    expect(out).toContain('&lt;!channel&gt;');
    expect(out).toContain('&lt;@U0VICTIM&gt;');
    expect(out).toContain('friendly link (<https://evil.example/x?a=1&amp;b=2>)');
    expect(out).toContain('```\ncode with &lt;!channel&gt; &amp; &lt;@U0VICTIM&gt;\n```');
  });

  it('converts Markdown emphasis, headings, bullets and inline code', () => {
    expect(toMrkdwn('# Title\n**bold** and *it* and ~~gone~~\n- one\n* two\n`a <b>`')).toBe('*Title*\n*bold* and _it_ and ~gone~\n• one\n• two\n`a &lt;b&gt;`');
  });

  it('escapes only & < > of what is printable', () => {
    expect(escapeMrkdwn('a & b < c > d "e"')).toBe('a &amp; b &lt; c &gt; d "e"');
  });

  it('shows control and bidi characters escaped, in prose, code and links alike, keeping tabs and newlines', () => {
    expect(escapeMrkdwn(SPOOF)).toBe(SHOWN);
    const out = toMrkdwn(
      `# ${SPOOF}\n- ${SPOOF}\n\`in\u2066line\`\n\tkept\n\`\`\`\nconst ok = 1; // \u202e } if (admin) {\n\`\`\`\n[a\u202eb](https://x.example/\u202e)`,
    );
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain(`• ${SHOWN}`);
    expect(out).toContain('`in\\u2066line`');
    expect(out).toContain('\n\tkept\n');
    expect(out).toContain('const ok = 1; // \\u202e } if (admin) {');
    const [m] = renderReply(
      { text: 'ok', question: SPOOF, visibility: 'channel', footer: 'f\u200f', sections: [{ title: 'T\u009b', text: 'x' }] },
      { echoQuestion: true },
    );
    for (const t of strings(m)) expect(t).not.toMatch(CONTROL);
    expect(blockTexts(m as unknown as Record<string, unknown>)[0]).toBe(`Question: ${SHOWN}`);
  });

  it('turns incoming Slack markup into plain text and drops the bot mention', () => {
    expect(slackToPlain('<@UBOT> ask <@U1|ann> in <#C1|general> about <https://a.example|this> &lt;tag&gt; &amp; <!here>', 'UBOT')).toBe(
      'ask @ann in #general about this (https://a.example) <tag> & @here',
    );
  });
});

describe('split', () => {
  it('keeps every piece within the section limit and reopens a split code block', () => {
    const code = `\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i} = ${'x'.repeat(10)}`).join('\n')}\n\`\`\``;
    const pieces = splitMrkdwn(code, 3000);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(3000);
      expect(p.startsWith('```')).toBe(true);
      expect(p.endsWith('```')).toBe(true);
    }
  });

  it('never cuts inside an entity or a link', () => {
    const text = `${'a'.repeat(2995)}&amp;<https://x.example/${'p'.repeat(20)}> tail`;
    const pieces = splitMrkdwn(text, 3000);
    expect(pieces[0]!.endsWith('a')).toBe(true);
    expect(pieces[1]!.startsWith('&amp;<https://')).toBe(true);
  });

  it('renders a 60,000-character answer as messages within every Slack limit', () => {
    const text = Array.from({ length: 1500 }, (_, i) => `Line ${String(i).padStart(4, '0')} ${'y'.repeat(30)}`).join('\n');
    const msgs = renderReply({ text, visibility: 'channel', question: 'q', footer: 'f' }, { askerId: 'U1', echoQuestion: true });
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.textChars);
      for (const t of blockTexts(m as unknown as Record<string, unknown>)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
    }
    const all = msgs.flatMap((m) => blockTexts(m as unknown as Record<string, unknown>)).join('\n');
    for (let i = 0; i < 1500; i++) expect(all).toContain(`Line ${String(i).padStart(4, '0')}`);
  });
});

describe('update gate', () => {
  it('coalesces updates and spaces writes by the interval', async () => {
    const clock = createManualClock(0);
    const gate = createUpdateGate(1000, clock);
    const writes: { at: number; v: number }[] = [];
    const w = (v: number) => async () => void writes.push({ at: clock.now(), v });
    await gate.final(w(0));
    for (let v = 1; v <= 5; v++) gate.offer(w(v));
    const done = gate.final(w(99));
    await clock.advance(1000);
    await clock.advance(1000);
    await done;
    expect(writes).toEqual([
      { at: 0, v: 0 },
      { at: 1000, v: 99 },
    ]);
  });
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rendering through Slack', () => {
  it('posts a 10,000-character answer split within limits, continuing in the thread', async () => {
    const text = Array.from({ length: 250 }, (_, i) => `Paragraph ${String(i).padStart(3, '0')}: ${'z'.repeat(24)}\n`).join('\n');
    expect(text.length).toBeGreaterThanOrEqual(10_000);
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: () => ({ text, usage: { input: 10, output: 2500 } }) });
    await h.slash('Write a lot');
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').some((c) => blockTexts(c.body).some((t) => t.includes('evidence'))));
    const posts = h.slack.of('chat.postMessage');
    expect(posts.flatMap((p) => blockTexts(p.body)).length).toBeGreaterThanOrEqual(1 + 4 + 1);
    for (const p of posts) {
      expect((p.body.blocks as unknown[]).length).toBeLessThanOrEqual(50);
      expect(String(p.body.text).length).toBeLessThanOrEqual(40_000);
      for (const t of blockTexts(p.body)) expect(t.length).toBeLessThanOrEqual(3000);
    }
    for (const p of posts.slice(1)) expect(p.body.thread_ts).toBe('1700000000.000001');
    const all = posts.flatMap((p) => blockTexts(p.body)).join('\n');
    for (let i = 0; i < 250; i++) expect(all).toContain(`Paragraph ${String(i).padStart(3, '0')}`);
  });

  it('continues a 40,000-character answer in the thread of the first message', async () => {
    const text = Array.from({ length: 1000 }, (_, i) => `Item ${String(i).padStart(4, '0')} ${'w'.repeat(30)}`).join('\n');
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: () => ({ text, usage: { input: 10, output: 10_000 } }) });
    await h.slash('Write even more');
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').some((c) => blockTexts(c.body).some((t) => t.includes('evidence'))));
    const posts = h.slack.of('chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    expect(posts[0]!.body.thread_ts).toBeUndefined();
    for (const p of posts.slice(1)) expect(p.body.thread_ts).toBe('1700000000.000001');
    for (const p of posts) for (const t of blockTexts(p.body)) expect(t.length).toBeLessThanOrEqual(3000);
    const all = posts.flatMap((p) => blockTexts(p.body)).join('\n');
    for (let i = 0; i < 1000; i++) expect(all).toContain(`Item ${String(i).padStart(4, '0')}`);
  });

  it('neutralises mass mentions from the model and from the question', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: () => ({ text: HOSTILE, usage: { input: 10, output: 50 } }) });
    await h.slash('Tell @channel about <!here> things');
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const post = h.slack.of('chat.postMessage')[0]!;
    const texts = [...blockTexts(post.body), String(post.body.text)];
    for (const t of texts) expect(dangerous(t.replace(/^<@U0001> asked: /, ''))).toEqual([]);
    expect(blockTexts(post.body)[0]).toBe('<@U0001> asked: Tell @\u200Bchannel about &lt;!here&gt; things');
    expect(post.body.unfurl_links).toBe('false');
  });

  it('shows control and bidi characters from the question, the model and a refusal escaped', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: (req) => ({ text: `You asked: ${req.lastUserText}`, usage: { input: 10, output: 10 } }) });
    await h.slash(SPOOF);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').some((c) => blockTexts(c.body).some((t) => t.includes('evidence'))));
    expect(modelCalls(h.vendor)[0]!.lastUserText).toBe(SPOOF); // the model gets the question as typed
    const post = h.slack.of('chat.postMessage').at(-1)!;
    expect(blockTexts(post.body)[0]).toBe(`<@U0001> asked: ${SHOWN}`);
    expect(blockTexts(post.body)[1]).toBe(`You asked: ${SHOWN}`);
    await h.slash(`keys \u202eevil`, { command: '/hive' });
    await h.slack.waitFor(() => h!.slack.of('response_url').some((c) => JSON.stringify(c.body).includes('evil')));
    expect(h.slack.of('response_url').map((c) => String(c.body.text))).toContainEqual(expect.stringContaining('Unknown keys action "\\u202eevil"'));
    // Nothing Hive sent Slack carries one raw.
    for (const c of h.slack.calls) for (const t of strings(c.body)) expect(t).not.toMatch(CONTROL);
  });
});
