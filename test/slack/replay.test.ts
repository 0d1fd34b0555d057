import { afterEach, describe, expect, it } from 'vitest';
import { interactionBody, postSigned, slashBody } from '../fakes/slack-requests.ts';
import { CHANNEL, KEY, SECRET, TEAM, USER, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const form = 'application/x-www-form-urlencoded' as const;
const now = () => Math.floor(Date.now() / 1000);
const settle = () => new Promise((r) => setTimeout(r, 200));

function askBody(x: Harness, triggerId = 'trigger.replay.1'): string {
  return slashBody({
    teamId: TEAM,
    channelId: CHANNEL,
    userId: USER,
    command: '/ask',
    text: 'What is six times seven?',
    responseUrl: x.slack.responseUrl('replay'),
    triggerId,
  });
}

const send = (x: Harness, body: string, ts: number) => postSigned(`${x.base}/slack/events`, body, { secret: SECRET, contentType: form, timestamp: ts });

describe('replayed slash commands and interactions', () => {
  it('runs an identical signed slash command sent twice only once; the replay gets an empty 200', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const body = askBody(h);
    const ts = now();
    const first = await send(h, body, ts);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const replay = await send(h, body, ts);
    expect([first.status, first.text, replay.status, replay.text]).toEqual([200, '', 200, '']);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('replayed Slack request skipped'))).toBe(true);
  });

  it('runs it once when the identical copies arrive concurrently', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const body = askBody(h);
    const ts = now();
    const responses = await Promise.all(Array.from({ length: 6 }, () => send(h!, body, ts)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length >= 1);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
  });

  it('runs a command once when a re-signed copy (new timestamp, same trigger_id) arrives', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const body = askBody(h);
    await send(h, body, now() - 30);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const again = await send(h, body, now());
    expect(again.status).toBe(200);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
  });

  it('still runs distinct commands (distinct trigger ids) from the same user', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const ts = now();
    await send(h, askBody(h, 'trigger.a'), ts);
    await send(h, askBody(h, 'trigger.b'), ts);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    expect(modelCalls(h.vendor)).toHaveLength(2);
  });

  it('stores a key once when the same signed view submission is replayed, concurrently or later', async () => {
    h = await startHarness({ slack: { users: { [USER]: { is_admin: true } } } });
    const submit = interactionBody({
      type: 'view_submission',
      team: { id: TEAM },
      user: { id: USER, team_id: TEAM },
      trigger_id: 'trigger.submit.replay',
      view: {
        id: 'V1',
        team_id: TEAM,
        type: 'modal',
        callback_id: 'hive_keys',
        private_metadata: JSON.stringify({ channel: CHANNEL }),
        state: {
          values: {
            vendor: { vendor: { type: 'static_select', selected_option: { value: 'openai' } } },
            key: { key: { type: 'plain_text_input', value: KEY } },
          },
        },
      },
    });
    const ts = now();
    const together = await Promise.all([send(h, submit, ts), send(h, submit, ts)]);
    const later = await send(h, submit, ts);
    expect([...together, later].map((r) => [r.status, r.text])).toEqual([
      [200, ''],
      [200, ''],
      [200, ''],
    ]);
    await settle();
    expect(h.vendor.requests.filter((r) => r.path.endsWith('/models'))).toHaveLength(1);
    expect(h.slack.of('chat.postEphemeral')).toHaveLength(1);
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toHaveLength(1);
  });

  it('runs a slash command delivered twice over Socket Mode (same trigger_id, new envelope) once, acking both', async () => {
    h = await startHarness({ socketMode: true, keys: { [TEAM]: KEY } });
    await h.socket!.connected();
    const payload = {
      team_id: TEAM,
      channel_id: CHANNEL,
      user_id: USER,
      command: '/ask',
      text: 'What is six times seven?',
      response_url: h.slack.responseUrl('s1'),
      trigger_id: 't-sock-1',
      api_app_id: 'AHIVE',
    };
    h.socket!.deliver({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload });
    h.socket!.deliver({ envelope_id: 'env-2', type: 'slash_commands', accepts_response_payload: true, payload });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1 && h!.socket!.acks.length === 2);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
  });

  it('acks and drops a Socket Mode slash command without a team id', async () => {
    h = await startHarness({ socketMode: true, keys: { [TEAM]: KEY } });
    await h.socket!.connected();
    const payload = {
      channel_id: CHANNEL,
      user_id: USER,
      command: '/ask',
      text: 'What is six times seven?',
      response_url: h.slack.responseUrl('s2'),
      trigger_id: 't-sock-2',
      api_app_id: 'AHIVE',
    };
    h.socket!.deliver({ envelope_id: 'env-3', type: 'slash_commands', accepts_response_payload: true, payload });
    await h.slack.waitFor(() => h!.socket!.acks.length === 1);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(0);
    expect(h.slack.of('response_url')).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('no team id'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain('slack:undefined');
  });
});
