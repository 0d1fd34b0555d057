import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { honestDigest } from '../fakes/digest-model.ts';
import { runClock } from './clock-runner.ts';
import { channelMessage, digestOn, startCaptureHarness, waitForRows } from './digest-capture-helpers.ts';
import { CHANNEL, KEY, TEAM, blockTexts, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack: a slow /digest now', () => {
  it('GIVEN the digest takes a while THEN its placeholder says what is being made, in words, with no one mentioned', async () => {
    const clock = createManualClock(Date.now());
    h = await startCaptureHarness({
      clock,
      keys: { [TEAM]: KEY },
      timing: { placeholderDelayMs: 100, updateIntervalMs: 250 },
      respond: (req) => ({ ...honestDigest(req), latencyMs: 400 }),
      // The placeholder is the path of a workspace without native streaming.
      slack: { refuseStreaming: 'missing_scope' },
    });
    await digestOn(h, CHANNEL);
    await h.event('Ev1', channelMessage(`${Math.floor(Date.now() / 1000) - 60}.000100`, 'Shall we ship Friday?'));
    await waitForRows(h, (r) => r.length === 1);
    const ticking = runClock(clock, 25);
    await h.slash('now', { command: '/digest' });
    await h.slack.waitFor(() => h!.slack.calls.some((c) => c.method === 'chat.update' && blockTexts(c.body).join('\n').includes('evidence')), 8000);
    await ticking.stop();
    const placeholder = blockTexts(h.slack.of('chat.postMessage')[0]!.body).join('\n');
    expect(placeholder).toContain("Summarising this channel's last 24 hours");
    expect(placeholder).not.toContain('asked');
    expect(placeholder).not.toContain('<@');
  });
});
