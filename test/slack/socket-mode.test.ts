import { afterEach, describe, expect, it } from 'vitest';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';
import { createHeldAnswer, type HeldAnswer } from './held-answer.ts';

let h: Harness | undefined;
let held: HeldAnswer | undefined;
afterEach(async () => {
  held?.release();
  await h?.close();
  h = undefined;
  held = undefined;
});

describe('Socket Mode', () => {
  it('connects with the app token, acks a slash command over the socket and answers in the channel', async () => {
    held = createHeldAnswer();
    h = await startHarness({ socketMode: true, keys: { [TEAM]: KEY }, respond: held.respond });
    await h.socket!.connected();
    expect(h.slack.of('apps.connections.open')[0]!.token).toMatch(/^xapp-/);
    h.socket!.deliver({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        team_id: TEAM,
        channel_id: CHANNEL,
        user_id: USER,
        command: '/ask',
        text: 'What is six times seven?',
        response_url: h.slack.responseUrl('s1'),
        trigger_id: 't1',
        api_app_id: 'AHIVE',
      },
    });
    // The vendor holds the model call until the envelope is acked: an ack after the job would never come.
    await h.slack.waitFor(() => h!.socket!.acks.length === 1);
    expect(h.socket!.acks.map((a) => a.envelope_id)).toEqual(['env-1']);
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    held.release();
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    expect(blockTexts(h.slack.of('chat.postMessage')[0]!.body)).toContain('42');
    const health = await fetch(`${h.base}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('answers an event redelivered with retry_attempt only once', async () => {
    h = await startHarness({ socketMode: true, keys: { [TEAM]: KEY } });
    await h.socket!.connected();
    const payload = {
      type: 'event_callback',
      team_id: TEAM,
      api_app_id: 'AHIVE',
      event_id: 'EvSock1',
      event_time: 1,
      authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }],
      event: { type: 'app_mention', user: USER, text: `<@${BOT_USER}> hello`, ts: '1700000600.000100', channel: CHANNEL },
    };
    for (const n of [0, 1, 2, 3])
      h.socket!.deliver({
        envelope_id: `env-e${n}`,
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: n,
        retry_reason: n ? 'timeout' : '',
        payload,
      });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1 && h!.socket!.acks.length === 4);
    await new Promise((r) => setTimeout(r, 150));
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
  });
});
