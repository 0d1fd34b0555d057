import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { modelCallsOf } from './file-acceptance.ts';
import { CHANNEL, TEAM, USER } from './harness.ts';
import { saidOnSlack, slackFile, startFilesHarness, type FilesHarness } from './files-acceptance-harness.ts';

let run: FilesHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await run?.close();
  run = undefined;
});

type ApiCall = webApi.WebClient['apiCall'];

/** Holds every `files.list` call before it leaves Hive until `release()`; other methods pass straight through. */
function holdFilesList(): { release(): void; held(): number } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let held = 0;
  const real: ApiCall = webApi.WebClient.prototype.apiCall;
  vi.spyOn(webApi.WebClient.prototype, 'apiCall').mockImplementation(async function (this: webApi.WebClient, method, options) {
    if (method === 'files.list') {
      held++;
      await gate;
    }
    return real.call(this, method, options);
  });
  return { release, held: () => held };
}

describe('Slack: the slash command’s ack never waits on files.list', () => {
  it('GIVEN files.list that has not answered THEN /ask is acked at once, and the job runs with the files once it answers', async () => {
    const log = slackFile('F0LOG', 'trace.log', 'text/plain', new TextEncoder().encode('Error: boom at step 3\n'));
    run = await startFilesHarness([log], { text: 'It failed at step 3.' });
    const list = holdFilesList();
    const ack = await run.h.slash('--model openai:gpt-6.2-sol why did it fail?');
    // Answered while files.list is still held: Slack's 3 s never depend on it.
    expect(ack.status).toBe(200);
    expect(list.held()).toBe(1);
    expect(run.h.slack.of('files.list')).toEqual([]);
    expect(modelCallsOf(run.vendors.openai)).toEqual([]);
    list.release();
    await run.h.slack.waitFor(() => /evidence \w{26}/.test(saidOnSlack(run!.h.slack)), 10_000);
    expect(saidOnSlack(run.h.slack)).toContain('1 file');
    const [call] = modelCallsOf(run.vendors.openai);
    expect(JSON.stringify(call!.body)).toContain('Error: boom at step 3');
  });

  it('GIVEN Socket Mode and files.list that has not answered THEN the envelope is acked over the socket before it answers', async () => {
    const log = slackFile('F0LOG', 'trace.log', 'text/plain', new TextEncoder().encode('Error: boom at step 3\n'));
    run = await startFilesHarness([log], { text: 'It failed at step 3.', socketMode: true });
    const socket = run.h.socket!;
    await socket.connected();
    const list = holdFilesList();
    const payload = {
      team_id: TEAM,
      channel_id: CHANNEL,
      user_id: USER,
      command: '/ask',
      text: '--model openai:gpt-6.2-sol why did it fail?',
      response_url: run.h.slack.responseUrl('s1'),
      trigger_id: 't1',
      api_app_id: 'AHIVE',
    };
    socket.deliver({ envelope_id: 'env-files-1', type: 'slash_commands', accepts_response_payload: true, payload });
    // The ack goes out while files.list is still held; an ack after the lookup would never come.
    await run.h.slack.waitFor(() => socket.acks.length === 1 && list.held() === 1, 10_000);
    expect(socket.acks.map((a) => a.envelope_id)).toEqual(['env-files-1']);
    expect(run.h.slack.of('files.list')).toEqual([]);
    list.release();
    await run.h.slack.waitFor(() => /evidence \w{26}/.test(saidOnSlack(run!.h.slack)), 10_000);
    expect(saidOnSlack(run.h.slack)).toContain('1 file');
  });
});
