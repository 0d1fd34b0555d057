import { afterEach, describe, expect, it } from 'vitest';
import { STREAM_MAX_CHARS } from '../../adapters/chat/slack/native-stream.ts';
import { SLACK_LIMITS } from '../../adapters/chat/slack/split.ts';
import { decodeAction } from '../../src/chat/answer-actions.ts';
import { buttonValues } from '../fakes/slack-actions.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, blockTexts, startHarness, streamedText, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const THREAD = '1700000800.000100';

/** About 30,000 characters: numbered sentences in paragraphs, one a fenced code block where the stream fills up. */
function longAnswer(): string {
  const paragraphs = Array.from({ length: 60 }, (_, p) =>
    Array.from({ length: 10 }, (_, s) => `Sentence ${String(p * 10 + s).padStart(4, '0')} adds a little more to the answer.`).join(' '),
  );
  paragraphs.splice(15, 0, '```\n' + Array.from({ length: 200 }, (_, i) => `line_${i} = compute(${i})`).join('\n') + '\n```');
  return paragraphs.join('\n\n');
}

const sentences = (text: string) => text.match(/Sentence \d{4}/g) ?? [];

describe('Slack: a streamed answer longer than one message', () => {
  it('streams the first 11,000 characters, stops with the buttons, and continues the rest in the thread within Slack’s limits', async () => {
    const text = longAnswer();
    expect(text.length).toBeGreaterThan(25_000);
    h = await startHarness({ keys: { [TEAM]: KEY }, timing: { placeholderDelayMs: 0 }, respond: () => ({ text, usage: { input: 10, output: 7000 } }) });
    await h.event('EvLong', { type: 'app_mention', user: USER, text: `<@${BOT_USER}> tell me everything`, channel: CHANNEL, ts: THREAD, event_ts: THREAD });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').some((c) => blockTexts(c.body).join(' ').includes('Sentence 0599')), 10_000);
    await h.hive.host.dispatcher.drain();

    expect(h.slack.of('chat.startStream')).toHaveLength(1);
    const streamed = streamedText(h.slack);
    expect(streamed.length).toBeLessThanOrEqual(STREAM_MAX_CHARS);
    expect(streamed.length).toBeGreaterThan(STREAM_MAX_CHARS / 2);
    const stop = h.slack.of('chat.stopStream')[0]!;
    expect(buttonValues(stop.body.blocks).map((b) => decodeAction(b.value)?.kind)).toContain('deeper');

    const rest = h.slack.of('chat.postMessage');
    expect(rest.length).toBeGreaterThan(0);
    for (const m of rest) {
      expect(m.body.thread_ts).toBe(THREAD);
      expect(h.slack.calls.indexOf(m)).toBeGreaterThan(h.slack.calls.indexOf(stop));
      const blocks = m.body.blocks as unknown[];
      expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(blockTexts(m.body).join('').length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlockChars);
      for (const t of blockTexts(m.body)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      expect(String(m.body.text).length).toBeLessThanOrEqual(SLACK_LIMITS.textChars);
    }
    // Every sentence once, in order, across the stream and its continuation; nothing cut inside a word.
    const shown = [streamed, ...rest.map((m) => blockTexts(m.body).join('\n'))];
    expect(shown.flatMap(sentences)).toEqual(sentences(text));
    expect(shown.join('\n')).not.toMatch(/\bSentenc\b|\bSen\b/);
    // A code block cut by the stream's end still reads as code on both sides.
    for (const part of shown) expect((part.match(/```/g) ?? []).length % 2).toBe(0);
    expect(shown.join('\n').match(/line_\d+ = compute/g)).toHaveLength(200);
  });
});
