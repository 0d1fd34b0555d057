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
    const [limited, retried] = h.slack.of('chat.postMessage');
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(blockTexts(retried!.body)).toContain('42');
    await new Promise((r) => setTimeout(r, 100));
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
