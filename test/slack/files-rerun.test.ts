import { afterEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/chat/answer-actions.ts';
import { pngWith, sha256 } from '../e2e/file-helpers.ts';
import { blockActionsPayload, buttonValues } from '../fakes/slack-actions.ts';
import { BOT_TOKEN, CHANNEL, KEY, TEAM, USER, modelCalls, startHarness, type Harness } from './harness.ts';
import { mentionWith, slackFile } from './files-acceptance-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const THREAD = '1700000500.000100';

describe('Slack: a pressed re-run keeps the files its answer read', () => {
  it('GIVEN a question with a PNG shared, answered THEN Re-run deeper sends the deep model the same PNG, read again from Slack’s file host', async () => {
    const png = pngWith('rerun-chart-3b7c');
    const chart = slackFile('F0CHART', 'chart.png', 'image/png', png);
    h = await startHarness({ keys: { [TEAM]: KEY }, timing: { placeholderDelayMs: 0 }, slack: { files: [chart] } });
    await h.event('EvRerun1', mentionWith(THREAD, 'what does the chart show?', [chart]));
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 1, 10_000);
    await h.hive.host.dispatcher.drain();
    const buttons = buttonValues(h.slack.of('chat.stopStream')[0]!.body.blocks);
    const deeper = buttons.find((b) => decodeAction(b.value)?.kind === 'deeper')!;
    const answerTs = String(h.slack.of('chat.startStream')[0]!.result?.ts);
    await h.interact(
      blockActionsPayload({ teamId: TEAM, userId: USER, channelId: CHANNEL, messageTs: answerTs, threadTs: THREAD, ...deeper, triggerId: 't.rerun.1' }),
    );
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 2, 10_000);
    await h.hive.host.dispatcher.drain();
    const [asked, rerun, ...more] = modelCalls(h.vendor);
    expect(more).toEqual([]);
    expect(rerun!.model).not.toBe(asked!.model);
    for (const call of [asked!, rerun!]) expect(call.files.map((f) => [f.kind, f.mediaType, f.sha256])).toEqual([['image', 'image/png', sha256(png)]]);
    // Read again for the re-run, with the bot token: the answer book kept the file's description, never its bytes.
    expect(h.slack.files.downloads.map((d) => [d.fileId, d.token, d.authorized])).toEqual([
      ['F0CHART', BOT_TOKEN, true],
      ['F0CHART', BOT_TOKEN, true],
    ]);
  });
});
