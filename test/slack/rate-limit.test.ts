import { afterEach, describe, expect, it } from 'vitest';
import { KEY, TEAM, blockTexts, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Web API failures', () => {
  it('waits out a 429 for its Retry-After, then posts once', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    h.slack.script('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    await h.slash('What is six times seven?');
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2, 8000);
    const [, retried] = h.slack.of('chat.postMessage');
    // The Web API client states the wait it takes, read from the header (its sleep is real time,
    // so the proof is what it was told and what it did, not a stopwatch).
    expect(h.logs.filter((l) => l.includes('rate limiting')).map((l) => JSON.parse(l).msg as string)).toEqual([
      'API Call failed due to rate limiting. Will retry in 1 seconds.',
    ]);
    expect(blockTexts(retried!.body)).toContain('42');
    await h.hive.dispatcher.drain();
    expect(h.slack.of('chat.postMessage')).toHaveLength(2);
  });

  it('does not retry a post that failed for another reason (a blind retry could double-post)', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    h.slack.script('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } });
    await h.slash('What is six times seven?');
    await h.slack.waitFor(() => h!.logs.some((l) => l.includes('could not deliver a reply')));
    expect(h.slack.of('chat.postMessage')).toHaveLength(1);
  });
});
