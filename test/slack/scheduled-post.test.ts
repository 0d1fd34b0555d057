import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatAdapter, MessageRef } from '../../src/chat/chat-adapter.ts';
import { createManualClock, type Clock } from '../../src/shared/clock.ts';
import { BOT_TOKEN, CHANNEL, TEAM, blockTexts, startHarness, type Harness } from './harness.ts';

/** A scheduled digest as a core job would run it: on a timer, through ChatAdapter.post, with no request to answer. */
async function runDigest(clock: Clock, adapter: ChatAdapter, everyMs: number): Promise<MessageRef> {
  await clock.sleep(everyMs);
  return adapter.post(
    { workspaceId: `slack:${TEAM}`, channelId: CHANNEL },
    { text: 'Daily digest: **3** answers, $0.02 spent', visibility: 'channel', footer: 'Hive digest' },
  );
}

describe('posting without a request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('GIVEN a scheduled job and no Invocation THEN it posts into the channel with the bot token, and can edit the post', async () => {
    const clock = createManualClock(0);
    const digest = runDigest(clock, h.adapter, 24 * 60 * 60 * 1000);
    await clock.advance(24 * 60 * 60 * 1000);
    const ref = await digest;
    const post = h.slack.of('chat.postMessage').at(-1)!;
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.body.channel).toBe(CHANNEL);
    expect(blockTexts(post.body).join('\n')).toMatch(/Daily digest: \*3\* answers/);
    expect(h.slack.calls.some((c) => c.method === 'response_url')).toBe(false);
    await h.adapter.edit(ref, { text: 'Daily digest: 4 answers', visibility: 'channel' });
    const update = h.slack.of('chat.update').at(-1)!;
    expect(update.body).toMatchObject({ channel: CHANNEL, ts: ref.messageId });
  });
});
