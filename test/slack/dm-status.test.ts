import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import type { FakeBehaviour } from '../fakes/fake-vendor.ts';
import { runClock } from './clock-runner.ts';
import { KEY, TEAM, USER, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DM = 'D0001';
const ASKED = '1700000500.000100';

/** The vendor refuses the first call for its rate limit, then answers. */
function limitedOnce(retryAfterMs: number): () => FakeBehaviour {
  let calls = 0;
  return () => (++calls === 1 ? { status: 429, retryAfterMs } : { text: 'forty two', usage: { input: 10, output: 2 } });
}

/** The DM's message once it shows the whole answer with its footer. */
const answered = (harness: Harness) =>
  harness.slack.calls.find((c) => ['chat.postMessage', 'chat.update'].includes(c.method) && /forty two[\s\S]*evidence/.test(JSON.stringify(c.body)));

describe('Slack DMs: the assistant status while a job waits', () => {
  it('shows the wait as the DM question’s status while the vendor’s rate limit holds the job, and clears it when the answer arrives', async () => {
    const clock = createManualClock(Date.parse('2026-12-01T12:00:00Z'));
    h = await startHarness({ clock, hive: { clock }, keys: { [TEAM]: KEY }, respond: limitedOnce(20_000) });
    const ticking = runClock(clock, 100);
    await h.event('EvDMwait', { type: 'message', channel_type: 'im', user: USER, text: 'What is six times seven?', channel: DM, ts: ASKED, event_ts: ASKED });
    await h.slack.waitFor(() => answered(h!) !== undefined, 10_000);
    await ticking.stop();

    const statuses = h.slack.of('assistant.threads.setStatus');
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    for (const s of statuses) expect(s.body).toMatchObject({ channel_id: DM, thread_ts: ASKED });
    const waiting = statuses.findIndex((s) => /Waiting for OpenAI/.test(String(s.body.status)));
    expect(waiting).toBeGreaterThanOrEqual(0);
    expect(statuses[waiting]!.body.loading_messages).toEqual(expect.any(Array));
    const cleared = statuses.at(-1)!;
    expect(cleared.body.status).toBe('');
    // Cleared as the answer arrives, before its footer is shown; the placeholder no longer says it waits.
    expect(h.slack.calls.indexOf(cleared)).toBeLessThan(h.slack.calls.indexOf(answered(h)!));
    const shown = h.slack.calls.filter((c) => ['chat.postMessage', 'chat.update'].includes(c.method) && JSON.stringify(c.body).includes('forty two'));
    for (const c of shown) expect(JSON.stringify(c.body)).not.toContain('Waiting for OpenAI');
    expect(h.slack.calls.indexOf(statuses[waiting]!)).toBeLessThan(h.slack.calls.indexOf(cleared));
    expect(modelCalls(h.vendor)).toHaveLength(2);
  });

  it('sets no status for a DM answered at once', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    await h.event('EvDMquick', { type: 'message', channel_type: 'im', user: USER, text: 'What is six times seven?', channel: DM, ts: ASKED, event_ts: ASKED });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await h.hive.host.dispatcher.drain();
    expect(h.slack.of('assistant.threads.setStatus')).toHaveLength(0);
  });
});
