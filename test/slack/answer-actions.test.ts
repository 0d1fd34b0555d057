import { afterEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/chat/answer-actions.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { blockActionsPayload, buttonValues } from '../fakes/slack-actions.ts';
import { runClock } from './clock-runner.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, blockTexts as blockTextsOf, modelCalls, startHarness, streamedText, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const THREAD = '1700000100.000100';

/** A mention in the channel, answered in its thread. */
async function mention(harness: Harness, text: string, at = THREAD): Promise<void> {
  await harness.event(`Ev${at}`, { type: 'app_mention', user: USER, text: `<@${BOT_USER}> ${text}`, channel: CHANNEL, ts: at, event_ts: at });
}

/** The Hive buttons on the stream's final blocks, by kind. */
function offered(harness: Harness): Map<string, { actionId: string; value: string }> {
  const stop = harness.slack.of('chat.stopStream').at(-1)!;
  return new Map(buttonValues(stop.body.blocks).map((b) => [decodeAction(b.value)!.kind, b]));
}

function press(harness: Harness, b: { actionId: string; value: string }, triggerId: string, messageTs: string) {
  return harness.interact(
    blockActionsPayload({ teamId: TEAM, userId: USER, channelId: CHANNEL, messageTs, threadTs: THREAD, actionId: b.actionId, value: b.value, triggerId }),
  );
}

describe('Slack answers: native streams and their buttons', () => {
  it('streams a slow thread answer (start, append, stop) for the asker, and ends with action and feedback buttons', async () => {
    const clock = createManualClock(0);
    h = await startHarness({
      clock,
      keys: { [TEAM]: KEY },
      timing: { placeholderDelayMs: 100 },
      respond: () => ({ text: 'forty two', usage: { input: 10, output: 2 }, chunkDelayMs: 60 }),
    });
    const ticking = runClock(clock, 25);
    await mention(h, 'What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 1, 8000);
    await ticking.stop();
    const start = h.slack.of('chat.startStream')[0]!;
    expect(start.body).toMatchObject({ channel: CHANNEL, thread_ts: THREAD, recipient_user_id: USER, recipient_team_id: TEAM });
    expect(streamedText(h.slack)).toBe('forty two');
    const stop = h.slack.of('chat.stopStream')[0]!;
    const types = (stop.body.blocks as { type: string }[]).map((b) => b.type);
    expect(types).toEqual(['context', 'actions', 'context_actions']);
    expect([...offered(h).keys()].sort()).toEqual(['cheaper', 'consensus', 'deeper', 'helpful', 'unhelpful']);
    expect(h.slack.of('chat.update')).toHaveLength(0);
  });

  it('re-runs deeper in the same thread once, though pressed twice, and a redelivered press runs once', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, timing: { placeholderDelayMs: 0 } });
    await mention(h, 'What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 1);
    const deeper = offered(h).get('deeper')!;
    const answerTs = String(h.slack.of('chat.startStream')[0]!.result?.ts);
    await press(h, deeper, 't.deeper.1', answerTs);
    await press(h, deeper, 't.deeper.1', answerTs);
    await press(h, deeper, 't.deeper.2', answerTs);
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 2 && h!.slack.of('chat.postEphemeral').length >= 1);
    await h.hive.host.dispatcher.drain();
    const calls = modelCalls(h.vendor);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.model).not.toBe(calls[0]!.model);
    const starts = h.slack.of('chat.startStream');
    expect(starts.every((c) => c.body.thread_ts === THREAD)).toBe(true);
    const told = h.slack.of('chat.postEphemeral').map((c) => String(c.body.text));
    expect(told.some((t) => /already re-run deeper/.test(t))).toBe(true);
  });

  it('ignores hostile or foreign button values without running anything', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    for (const [actionId, value] of [
      ['hive.action.deeper', 'hive.a1:deeper:../../etc'],
      ['hive.action.deeper', 'hive.a1:cancel:abcdefgh'],
      ['hive.feedback', 'hive.a1:deeper:abcdefgh'],
      ['hive.action.deeper', 'x'.repeat(5000)],
    ]) {
      const res = await h.interact(
        blockActionsPayload({
          teamId: TEAM,
          userId: USER,
          channelId: CHANNEL,
          messageTs: THREAD,
          actionId: actionId!,
          value: value!,
          triggerId: `t.${Math.random()}`,
        }),
      );
      expect(res.status).toBe(200);
    }
    await h.hive.host.dispatcher.drain();
    expect(modelCalls(h.vendor)).toHaveLength(0);
    expect(h.slack.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('falls back to a placeholder and edits where streaming is refused, says why once, and still ends with buttons', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, timing: { placeholderDelayMs: 0 }, slack: { refuseStreaming: 'missing_scope' } });
    await mention(h, 'What is six times seven?', '1700000100.000100');
    await h.slack.waitFor(() => h!.slack.of('chat.update').length >= 1);
    await mention(h, 'And six times eight?', '1700000200.000100');
    await h.slack.waitFor(() => h!.slack.of('chat.update').length >= 2);
    await h.hive.host.dispatcher.drain();
    expect(h.slack.of('chat.startStream')).toHaveLength(1);
    const final = h.slack.of('chat.update').at(-1)!;
    expect(buttonValues(final.body.blocks).map((b) => decodeAction(b.value)?.kind)).toContain('deeper');
    expect(h.logs.filter((l) => l.includes('has no native streaming'))).toHaveLength(1);
  });

  it('answers a DM inline, not in a thread under the question', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const at = '1700000300.000100';
    await h.event('EvDM1', { type: 'message', channel_type: 'im', user: USER, text: 'What is six times seven?', channel: 'D0001', ts: at, event_ts: at });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const post = h.slack.of('chat.postMessage')[0]!;
    expect(post.body.channel).toBe('D0001');
    expect(post.body.thread_ts).toBeUndefined();
  });
});

describe('Slack answers: cancel and confirm', () => {
  it('cancels a slow job from the Cancel button the asker sees, within 2 s, and says what was spent', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, timing: { placeholderDelayMs: 0 }, respond: () => ({ text: 'late', latencyMs: 20_000 }) });
    await mention(h, 'Think very hard about this');
    await h.slack.waitFor(() => h!.slack.of('chat.postEphemeral').some((c) => buttonValues(c.body.blocks).length > 0));
    const cancel = buttonValues(h.slack.of('chat.postEphemeral')[0]!.body.blocks)[0]!;
    expect(decodeAction(cancel.value)?.kind).toBe('cancel');
    await press(h, cancel, 't.cancel.1', THREAD);
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 1, 2000);
    expect(streamedText(h.slack)).toMatch(/Cancelled by/);
    expect(blockTextsOf(h.slack.of('chat.stopStream')[0]!.body).join(' ')).toMatch(/spent|nothing was spent/);
  });

  it('runs a job held for confirmation once Confirm is pressed, once though pressed twice', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, adminUserIds: USER });
    await h.slash('budget confirm 0.000001', { command: '/hive' });
    await h.slack.waitFor(() => h!.slack.of('response_url').length === 1);
    await h.slash('What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('response_url').length === 2);
    const refusal = h.slack.of('response_url')[1]!;
    const buttons = new Map(buttonValues(refusal.body.blocks).map((b) => [decodeAction(b.value)!.kind, b]));
    expect([...buttons.keys()].sort()).toEqual(['cancel', 'confirm']);
    expect(modelCalls(h.vendor)).toHaveLength(0);
    const confirm = buttons.get('confirm')!;
    for (const triggerId of ['t.confirm.1', 't.confirm.2'])
      await h.interact(
        blockActionsPayload({
          teamId: TEAM,
          userId: USER,
          channelId: CHANNEL,
          messageTs: '1700000400.000100',
          ephemeral: true,
          actionId: confirm.actionId,
          value: confirm.value,
          triggerId,
          responseUrl: h.slack.responseUrl(triggerId),
        }),
      );
    await h.slack.waitFor(() => modelCalls(h!.vendor).length === 1);
    await h.hive.host.dispatcher.drain();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage').some((c) => blockTextsOf(c.body).includes('42'))).toBe(true);
  });
});
