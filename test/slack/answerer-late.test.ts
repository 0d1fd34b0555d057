import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAnswerer } from '../../adapters/chat/slack/answerer.ts';
import type { SlackConfig } from '../../adapters/chat/slack/config.ts';
import { slackAddressCodec } from '../../adapters/chat/slack/job-address.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';
import { CHANNEL, startHarness, TEAM, USER, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ENQUEUED = 1_800_000_000_000;

/** A slash command's job as intake queued it, with its response_url. */
function slashJob(h: Harness, n: number): QueuedJob {
  return {
    id: `slack:slash:late.${n}`,
    platform: 'slack',
    workspaceId: `slack:${TEAM}`,
    channelId: CHANNEL,
    userId: USER,
    command: 'ask',
    text: 'why?',
    ...slackAddressCodec.encode({
      kind: 'slash',
      teamId: TEAM,
      channelId: CHANNEL,
      userId: USER,
      responseUrl: h.slack.responseUrl(`late-${n}`),
      placeholder: false,
    }),
    enqueuedAt: ENQUEUED,
  };
}

async function answerPrivately(h: Harness, job: QueuedJob, now: number): Promise<void> {
  const answerer = createSlackAnswerer({
    config: h.hive.config.chat.slack as SlackConfig,
    host: h.hive.host,
    clock: { now: () => now, sleep: async () => undefined },
  });
  const inv = await answerer.resume(job, { resumed: true, posted: async () => undefined });
  await inv.respond({ text: 'Something went wrong on our side (error 01JXYZ0000000000000000ERRR).', visibility: 'private', tone: 'error' });
}

describe('a slash command answered after its response_url lapsed', () => {
  it('GIVEN a job finished 31 minutes after its command THEN its private reply goes to the asker in the channel through the Web API', async () => {
    h = await startHarness();
    await answerPrivately(h, slashJob(h, 1), ENQUEUED + 31 * 60_000);
    expect(h.slack.of('response_url')).toEqual([]);
    const [e] = h.slack.of('chat.postEphemeral');
    expect(e?.body).toMatchObject({ channel: CHANNEL, user: USER });
    expect(JSON.stringify(e?.body)).toContain('Something went wrong on our side');
  });

  it('GIVEN Slack says the response_url expired THEN the private reply is sent through the Web API instead', async () => {
    h = await startHarness();
    h.slack.script('response_url', { status: 404, body: { ok: false, error: 'expired_url' } });
    await answerPrivately(h, slashJob(h, 2), ENQUEUED + 60_000);
    expect(h.slack.of('response_url')).toHaveLength(1);
    expect(h.slack.of('chat.postEphemeral')[0]?.body).toMatchObject({ channel: CHANNEL, user: USER });
  });

  it('GIVEN a job finished in time THEN its private reply still goes to the response_url', async () => {
    h = await startHarness();
    await answerPrivately(h, slashJob(h, 3), ENQUEUED + 60_000);
    expect(h.slack.of('response_url')).toHaveLength(1);
    expect(h.slack.of('chat.postEphemeral')).toEqual([]);
  });
});
