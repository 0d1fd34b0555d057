import { afterEach, describe, expect, it } from 'vitest';
import type { FakeRequest } from '../fakes/fake-vendor.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, blockTexts, modelCalls, startHarness, vendorMessages, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const answers: Record<string, string> = { 'what is 6x7?': '42', 'and times two?': '84', 'What is six times seven?': '42' };
const byQuestion = (r: FakeRequest) => ({ text: answers[r.lastUserText] ?? 'ok', usage: { input: 10, output: 2 } });

const mention = (ts: string, text = `<@${BOT_USER}> what is 6x7?`, extra: Record<string, unknown> = {}) => ({
  type: 'app_mention',
  user: USER,
  text,
  ts,
  event_ts: ts,
  channel: CHANNEL,
  team: TEAM,
  ...extra,
});
const threadMessage = (ts: string, threadTs: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel: CHANNEL,
  channel_type: 'channel',
  user: USER,
  text,
  ts,
  event_ts: ts,
  thread_ts: threadTs,
  team: TEAM,
  ...extra,
});

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('mentions and threads', () => {
  it('answers a mention in its thread once, however many times Slack delivers it', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: byQuestion });
    const ev = mention('1700000100.000100');
    const deliveries = await Promise.all([0, 1, 2, 3].map((n) => h!.event('Ev0001', ev, { retryNum: n || undefined })));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length >= 1);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    const posts = h.slack.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.thread_ts).toBe('1700000100.000100');
    expect(blockTexts(posts[0]!.body)[0]).toBe('42');
    expect(vendorMessages(modelCalls(h.vendor)[0]!)).toEqual([{ role: 'user', content: 'what is 6x7?' }]);
  });

  it('continues a thread where Hive answered, with the earlier turns as context', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: byQuestion });
    await h.event('Ev0002', mention('1700000200.000100'));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await h.event('Ev0003', threadMessage('1700000201.000100', '1700000200.000100', 'and times two?'));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    const second = modelCalls(h.vendor)[1]!;
    expect(vendorMessages(second)).toEqual([
      { role: 'user', content: 'what is 6x7?' },
      { role: 'assistant', content: '42' },
      { role: 'user', content: 'and times two?' },
    ]);
    const reply = h.slack.of('chat.postMessage')[1]!;
    expect(reply.body.thread_ts).toBe('1700000200.000100');
    expect(blockTexts(reply.body)[0]).toBe('84');
  });

  it('GIVEN /hive threads mentions here THEN a plain follow-up is left alone, and a mention in the thread is answered', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: byQuestion });
    await h.hive.ctx.settings.update(`slack:${TEAM}`, (s) => void (s.channelThreadReplies = { [CHANNEL]: 'mentions' }));
    await h.event('Ev0102', mention('1700000300.000100'));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await h.event('Ev0103', threadMessage('1700000301.000100', '1700000300.000100', 'and times two?'));
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    await h.event('Ev0104', mention('1700000302.000100', `<@${BOT_USER}> and times two?`, { thread_ts: '1700000300.000100' }));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    expect(blockTexts(h.slack.of('chat.postMessage')[1]!.body)[0]).toBe('84');
  });

  it('continues the thread under a slash command answer', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: byQuestion });
    await h.slash('What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const answerTs = '1700000000.000001';
    await h.event('Ev0004', threadMessage('1700000301.000100', answerTs, 'and times two?'));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    expect(vendorMessages(modelCalls(h.vendor)[1]!).map((m) => m.content)).toEqual(['What is six times seven?', '42', 'and times two?']);
    expect(h.slack.of('chat.postMessage')[1]!.body.thread_ts).toBe(answerTs);
  });

  it('ignores its own messages, other bots, edits, threads it is not in, and a mention delivered twice as two events', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, respond: byQuestion });
    await h.event('Ev0010', mention('1700000400.000100'));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const thread = '1700000400.000100';
    await h.event('Ev0011', threadMessage('1700000401.000001', thread, 'from me', { user: BOT_USER, bot_id: 'BBOT' }));
    await h.event('Ev0012', threadMessage('1700000401.000002', thread, 'hello from a bot', { user: 'U0BOT2', bot_id: 'B0OTHER' }));
    await h.event('Ev0013', threadMessage('1700000401.000003', thread, 'edited', { subtype: 'message_changed' }));
    await h.event('Ev0014', threadMessage('1700000401.000004', '1700000999.000001', 'unrelated thread'));
    // A mention inside the thread arrives both as app_mention and as message.channels.
    const both = `<@${BOT_USER}> and times two?`;
    await h.event('Ev0015', threadMessage('1700000401.000005', thread, both));
    await h.event('Ev0016', mention('1700000401.000005', both, { thread_ts: thread }));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(2);
    expect(h.slack.of('chat.postMessage')).toHaveLength(2);
  });

  it('deletes the workspace keys on app_uninstalled', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toHaveLength(1);
    await h.event('Ev0020', { type: 'app_uninstalled' });
    await h.slack.waitFor(() => h!.logs.some((l) => l.includes('installation and vendor keys deleted')));
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toHaveLength(0);
  });
});
