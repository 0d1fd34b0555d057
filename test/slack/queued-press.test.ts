import { afterEach, describe, expect, it } from 'vitest';
import { slackDefinition } from '../../adapters/chat/slack/definition.ts';
import { ANSWER_EVENT } from '../../adapters/chat/slack/posted-answer.ts';
import { decodeAction } from '../../src/chat/answer-actions.ts';
import { startLocalJobs } from '../../src/app/local-jobs.ts';
import { createLocalQueue, type LocalQueue } from '../../src/jobs/local-queue.ts';
import type { FakeSlackCall } from '../fakes/slack-api.ts';
import { blockActionsPayload, buttonValues } from '../fakes/slack-actions.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';

const THREAD = '1700000700.000100';
const OTHER = 'U0OTHER';

let h: Harness | undefined;
let stopJobs: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopJobs?.();
  await h?.close();
  h = stopJobs = undefined;
});

/** One process as `npm start` runs it alone: intake queues model jobs in the log store, and its own worker answers them. */
async function startWithLocalJobs(): Promise<Harness> {
  const harness = await startHarness({
    keys: { [TEAM]: KEY },
    respond: (req) => ({ text: `Answered by ${String(req.model)}.`, usage: { input: 10, output: 2 } }),
    hive: { queue: (core) => createLocalQueue({ db: core.logs, ...core }) },
  });
  const jobs = await startLocalJobs(harness.hive, harness.hive.config, [slackDefinition], harness.hive.queue as LocalQueue);
  stopJobs = () => jobs.stop();
  return harness;
}

/** The job a worker's post answers, from the metadata it tags its first message with. */
const jobOf = (c: FakeSlackCall) => (c.body.metadata as { event_type?: string; event_payload?: { job?: string } } | undefined)?.event_payload?.job;
const answers = (harness: Harness) =>
  harness.slack.of('chat.postMessage').filter((c) => (c.body.metadata as { event_type?: string } | undefined)?.event_type === ANSWER_EVENT);

describe('Slack with its jobs queued: a button press answered by the worker', () => {
  it('GIVEN an answer a worker posted THEN Re-run deeper is queued, answered once by the worker in the answer’s thread, and a second presser is told', async () => {
    h = await startWithLocalJobs();
    await h.event('EvQ1', { type: 'app_mention', user: USER, text: `<@${BOT_USER}> --cheap which lane?`, channel: CHANNEL, ts: THREAD, event_ts: THREAD });
    await h.slack.waitFor(() => answers(h!).length === 1, 10_000);
    const first = answers(h)[0]!;
    expect(first.body.thread_ts).toBe(THREAD);
    expect(jobOf(first)).toMatch(/^slack:/);
    const deeper = buttonValues(first.body.blocks).find((b) => decodeAction(b.value)?.kind === 'deeper')!;
    const press = (userId: string, triggerId: string) =>
      h!.interact(
        blockActionsPayload({ teamId: TEAM, userId, channelId: CHANNEL, messageTs: String(first.result?.ts), threadTs: THREAD, triggerId, ...deeper }),
      );

    await press(USER, 't.queued.1');
    await press(USER, 't.queued.1');
    await h.slack.waitFor(() => answers(h!).length === 2, 10_000);
    await press(OTHER, 't.queued.2');
    await h.slack.waitFor(() => h!.slack.of('chat.postEphemeral').some((c) => /already re-run deeper/.test(String(c.body.text))), 10_000);
    await h.hive.host.dispatcher.drain();

    const rerun = answers(h)[1]!;
    expect(jobOf(rerun)).toBe('slack:action:t.queued.1');
    expect(rerun.body).toMatchObject({ channel: CHANNEL, thread_ts: THREAD });
    const calls = modelCalls(h.vendor);
    expect(calls).toHaveLength(2);
    expect(blockTexts(rerun.body).join(' ')).toContain(`Answered by ${calls[1]!.model}.`);
    expect(calls[1]!.model).not.toBe(calls[0]!.model);
    expect(answers(h)).toHaveLength(2);
    expect(h.slack.of('chat.postEphemeral').find((c) => /already re-run deeper/.test(String(c.body.text)))?.body.user).toBe(OTHER);
  });
});
