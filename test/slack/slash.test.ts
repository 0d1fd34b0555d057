import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { runClock } from './clock-runner.ts';
import { BOT_TOKEN, CHANNEL, KEY, TEAM, USER, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';
import { createHeldAnswer, type HeldAnswer } from './held-answer.ts';

let h: Harness | undefined;
let held: HeldAnswer | undefined;
afterEach(async () => {
  held?.release();
  await h?.close();
  h = undefined;
  held = undefined;
});

describe('slash commands', () => {
  it('acks /ask with an empty 200 and posts who asked, the question, the answer and the footer in the channel', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const res = await h.slash('--model openai:gpt-6-luna What is six times seven?');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const post = h.slack.of('chat.postMessage')[0]!;
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.body.channel).toBe(CHANNEL);
    expect(post.body.thread_ts).toBeUndefined();
    const [asked, answer, footer] = blockTexts(post.body);
    expect(asked).toBe(`<@${USER}> asked: What is six times seven?`);
    expect(answer).toBe('42');
    expect(footer).toContain('gpt-6-luna');
    // 10 input tokens × $0.15/M + 2 output tokens × $0.60/M
    expect(footer).toContain('$0.0000020');
    expect(footer).toMatch(/evidence [0-9A-Z]{26}/);
    const calls = modelCalls(h.vendor);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.apiKey).toBe(KEY);
  });

  it('acks before the job runs: the ack arrives while the vendor still holds the model call', async () => {
    held = createHeldAnswer();
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: held.respond });
    // The vendor answers only after release(), which comes after the ack: an ack that waited for
    // the job would never arrive, and this test would time out.
    const res = await h.slash('What is six times seven?');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await held.received;
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    held.release();
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    expect(blockTexts(h.slack.of('chat.postMessage')[0]!.body)).toContain('42');
  });

  it('sends a user error privately to the requester only', async () => {
    h = await startHarness();
    await h.slash('What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('response_url').length === 1);
    const r = h.slack.of('response_url')[0]!;
    expect(r.body.response_type).toBe('ephemeral');
    expect(String(r.body.text)).toMatch(/key/i);
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    expect(modelCalls(h.vendor)).toHaveLength(0);
  });

  it('answers privately for /hive help', async () => {
    h = await startHarness();
    await h.slash('help', { command: '/hive' });
    await h.slack.waitFor(() => h!.slack.of('response_url').length === 1);
    expect(h.slack.of('response_url')[0]!.body.response_type).toBe('ephemeral');
    expect(String(h.slack.of('response_url')[0]!.body.text)).toContain('/ask');
  });

  it('falls back to response_url in_channel where the bot is not a member', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    h.slack.script('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    await h.slash('What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('response_url').length === 1);
    const r = h.slack.of('response_url')[0]!;
    expect(r.body.response_type).toBe('in_channel');
    expect(blockTexts(r.body)).toContain('42');
  });

  it('shows a placeholder for a slow answer and updates it at most once per interval', async () => {
    const text = Array.from({ length: 12 }, (_, i) => `word${i}`).join(' ');
    // Pacing is measured on the adapter's manual clock, which also stamps the fake Slack's calls.
    const clock = createManualClock(0);
    h = await startHarness({
      clock,
      keys: { [TEAM]: KEY },
      timing: { placeholderDelayMs: 100, updateIntervalMs: 250 },
      respond: () => ({ text, usage: { input: 10, output: 12 }, chunkDelayMs: 60 }),
      // The placeholder and its edits are the path of a workspace without native streaming.
      slack: { refuseStreaming: 'missing_scope' },
    });
    const ticking = runClock(clock, 25);
    await h.slash('Count to twelve');
    await h.slack.waitFor(() => h!.slack.of('chat.update').some((c) => blockTexts(c.body).some((t) => t.includes('evidence'))), 8000);
    await ticking.stop();
    const writes = h.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
    expect(writes[0]!.method).toBe('chat.postMessage');
    expect(blockTexts(writes[0]!.body).join(' ')).toContain('Working on it · cheap lane (auto: short question) · gpt-6-luna');
    expect(writes[0]!.at).toBeGreaterThanOrEqual(100);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    // The spacing itself (at most one write per interval, the final one never dropped) is proven on
    // the gate with a manual clock alone (render.test.ts): stamps taken here, when the fake receives a
    // write, also include how long the request took to arrive, which a loaded machine stretches.
    const final = writes.at(-1)!;
    expect(final.method).toBe('chat.update');
    expect(final.body.ts).toBe('1700000000.000001');
    expect(blockTexts(final.body)).toContain(text);
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
  });
});
