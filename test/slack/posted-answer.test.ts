import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { findPostedAnswer, ANSWER_EVENT } from '../../adapters/chat/slack/posted-answer.ts';
import { webClientOptions } from '../../adapters/chat/slack/web-client.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import { BOT_TOKEN, BOT_USER, TEAM } from './harness.ts';

const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), fd: 2, pretty: false });
let slack: FakeSlack | undefined;
afterEach(async () => slack?.close());

describe('finding a resumed job’s unrecorded post', () => {
  it('GIVEN a busy channel where 60 later messages follow the post THEN the tagged post is still found, and another job’s is not taken', async () => {
    let now = 1_800_000_000_000;
    slack = await startFakeSlack({ clockTs: true, now: () => now, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: BOT_USER, botId: 'BBOT' } } });
    const client = new webApi.WebClient(BOT_TOKEN, webClientOptions(slack.apiUrl));
    const post = (job?: string) =>
      client.chat.postMessage({ channel: 'C1', text: 'x', ...(job ? { metadata: { event_type: ANSWER_EVENT, event_payload: { job } } } : {}) });
    const began = now;
    now += 300;
    const mine = await post('slack:slash:trig.7');
    for (let i = 0; i < 60; i++) {
      now += 250; // 4 a second for 15 s after it, in the same channel
      await post(i % 2 === 0 ? `slack:slash:other.${i}` : undefined);
    }
    const find = (jobId: string) => findPostedAnswer(client, { channel: 'C1', threadTs: undefined, jobId, sinceMs: began }, log);
    expect(await find('slack:slash:trig.7')).toBe(mine.ts);
    expect(await find('slack:slash:trig.8')).toBeUndefined();
  });

  it('GIVEN a burst of 120 posts in the second around the post THEN the tagged post is still found within the reads allowed', async () => {
    let now = 1_800_000_000_000;
    slack = await startFakeSlack({ clockTs: true, now: () => now, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: BOT_USER, botId: 'BBOT' } } });
    const client = new webApi.WebClient(BOT_TOKEN, webClientOptions(slack.apiUrl));
    const post = (job: string) => client.chat.postMessage({ channel: 'C1', text: 'x', metadata: { event_type: ANSWER_EVENT, event_payload: { job } } });
    const began = now;
    let mine = '';
    for (let i = 0; i < 120; i++) {
      now += 8; // 120 answers of a burst within a second, every one tagged with its own job
      const r = await post(`slack:slash:trig.${i}`);
      if (i === 37) mine = r.ts!;
    }
    const reads = () => slack!.of('conversations.history').length;
    const before = reads();
    expect(await findPostedAnswer(client, { channel: 'C1', threadTs: undefined, jobId: 'slack:slash:trig.37', sinceMs: began }, log)).toBe(mine);
    expect(reads() - before).toBeLessThanOrEqual(16);
  });
});
