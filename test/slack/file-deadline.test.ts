import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { DOWNLOAD_TIMEOUT_MS } from '../../adapters/chat/slack/file-download.ts';
import { createSlackFileReader } from '../../adapters/chat/slack/files.ts';
import { AttachmentReadError } from '../../src/shared/attachment.ts';
import { createManualClock, type ManualClock } from '../../src/shared/clock.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import { BOT_TOKEN, BOT_USER, CHANNEL, KEY, TEAM, USER, startHarness, type Harness } from './harness.ts';
import { eventFile, saidOnSlack, slackFile } from './files-acceptance-harness.ts';

let slack: FakeSlack | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await slack?.close();
  await h?.close();
  slack = h = undefined;
});

const LOG = slackFile('F0SLOW', 'slow.log', 'text/plain', new TextEncoder().encode('Error: boom\n'));
const ref = { id: 'F0SLOW', name: 'slow.log', source: { slackFileId: 'F0SLOW' } };

/** A reader over the fake Slack whose download deadline runs on `clock`. */
async function slowReader(clock: ManualClock) {
  slack = await startFakeSlack({ workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: BOT_USER, botId: 'BBOT' } }, files: [LOG] });
  const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  return createSlackFileReader({ auth: async () => ({ client, token: BOT_TOKEN }), filesUrl: slack.origin, deadline: { clock, ms: DOWNLOAD_TIMEOUT_MS } });
}

describe('Slack: a download has a deadline of its own', () => {
  it('GIVEN a download that stalls and no signal from the caller THEN it fails download_failed (retryable) when the minute is up, not before', async () => {
    const clock = createManualClock(0);
    const read = await slowReader(clock);
    slack!.files.fail('F0SLOW', 'slow');
    let settled = false;
    const pending = read(ref, { maxBytes: 1000 }).finally(() => void (settled = true));
    const err = pending.catch((e: unknown) => e);
    await slack!.waitFor(() => slack!.files.downloads.length === 1);
    await clock.advance(DOWNLOAD_TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    await clock.advance(1);
    const failure = await err;
    expect(failure).toBeInstanceOf(AttachmentReadError);
    expect([(failure as AttachmentReadError).code, (failure as AttachmentReadError).retryable]).toEqual(['download_failed', true]);
    expect((failure as AttachmentReadError).message).toBe('slow.log: Slack’s file host did not finish within 60 s');
  });

  it('GIVEN a download that finishes THEN its deadline is gone with it', async () => {
    const clock = createManualClock(0);
    const read = await slowReader(clock);
    expect(Buffer.from(await read(ref, { maxBytes: 1000 })).toString()).toBe('Error: boom\n');
    expect(clock.pending()).toBe(0);
  });

  it('GIVEN a mention with a file whose download stalls THEN after the deadline the reply names it and why, and no model is called', async () => {
    const clock = createManualClock(Date.now());
    h = await startHarness({ clock, keys: { [TEAM]: KEY }, slack: { files: [LOG] } });
    h.slack.files.fail('F0SLOW', 'slow');
    const ts = '1700000900.000100';
    await h.event('EvSlow1', {
      type: 'app_mention',
      user: USER,
      text: `<@${BOT_USER}> what failed?`,
      ts,
      channel: CHANNEL,
      team: TEAM,
      files: [eventFile(LOG)],
    });
    await h.slack.waitFor(() => h!.slack.files.downloads.length === 1);
    await clock.advance(DOWNLOAD_TIMEOUT_MS);
    await h.slack.waitFor(() => saidOnSlack(h!.slack).includes('nothing was sent to any model'), 10_000);
    expect(saidOnSlack(h.slack)).toContain('slow.log: the download failed (Slack’s file host did not finish within 60 s)');
    expect(h.vendor.requests).toEqual([]);
  });
});
