import { afterEach, describe, expect, it } from 'vitest';
import { KEY, TEAM, USER, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DM = 'D0001';
let n = 0;

/** Someone opens a tab of Hive's app (the Messages tab by default), as Slack reports it. */
async function open(harness: Harness, tab = 'messages', o: { eventId?: string; retryNum?: number } = {}) {
  const at = `1700000${String(++n).padStart(3, '0')}.000200`;
  const event = { type: 'app_home_opened', user: USER, channel: DM, tab, event_ts: at };
  return harness.event(o.eventId ?? `EvHome${n}`, event, o.retryNum ? { retryNum: o.retryNum } : {});
}

const prompts = (harness: Harness) => harness.slack.of('assistant.threads.setSuggestedPrompts');
const settle = async (harness: Harness) => {
  await harness.hive.host.dispatcher.drain();
  await new Promise((r) => setImmediate(r));
};

describe('Slack agent view: suggested prompts on the Messages tab', () => {
  it('sets at most four prompts on each open of the Messages tab, none on the Home tab, once for a redelivered open', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    await open(h);
    await h.slack.waitFor(() => prompts(h!).length === 1);
    const call = prompts(h)[0]!;
    expect(call.body).toMatchObject({ channel_id: DM, title: expect.any(String) });
    expect(call.body.thread_ts).toBeUndefined();
    const offered = call.body.prompts as { title: string; message: string }[];
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(4);
    for (const p of offered) expect(p.title && p.message).toBeTruthy();

    await open(h, 'home');
    await open(h, 'messages', { eventId: 'EvHomeAgain' });
    await open(h, 'messages', { eventId: 'EvHomeAgain', retryNum: 1 });
    await open(h);
    await h.slack.waitFor(() => prompts(h!).length === 3);
    await settle(h);
    expect(prompts(h)).toHaveLength(3);
  });

  it("offers the person's own latest questions first, without flags, never someone else's", async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const answered = async (text: string, userId: string) => {
      const before = h!.slack.calls.length;
      await h!.slash(text, { userId });
      await h!.slack.waitFor(() => h!.slack.calls.slice(before).some((c) => JSON.stringify(c.body).includes('evidence ')));
    };
    await answered('--deep what is a monad?', USER);
    await answered('what is a functor?', USER);
    await answered('what is in the private channel?', 'U0SOMEONE');
    await open(h);
    await h.slack.waitFor(() => prompts(h!).length === 1);
    const offered = prompts(h)[0]!.body.prompts as { title: string; message: string }[];
    expect(offered.slice(0, 2).map((p) => p.message)).toEqual(['what is a functor?', 'what is a monad?']);
    expect(offered).toHaveLength(4);
    expect(JSON.stringify(offered)).not.toContain('private channel');
  });

  it('acks and logs a failed call, and tries again on the next open', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    h.slack.script('assistant.threads.setSuggestedPrompts', { body: { ok: false, error: 'internal_error' } });
    expect((await open(h)).status).toBe(200);
    await h.slack.waitFor(() => h!.logs.some((l) => l.includes('could not set Slack suggested prompts')));
    await open(h);
    await h.slack.waitFor(() => prompts(h!).length === 2);
    expect(prompts(h)[1]!.result).toMatchObject({ ok: true });
  });

  it('stops asking a workspace that has no assistant features, says so once, and still answers its DMs', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY }, slack: { refuseStreaming: 'missing_scope' } });
    await open(h);
    await h.slack.waitFor(() => h!.logs.some((l) => l.includes('has no assistant status')));
    await open(h);
    await open(h);
    const at = '1700000900.000100';
    await h.event('EvDMq', { type: 'message', channel_type: 'im', user: USER, text: 'What is six times seven?', channel: DM, ts: at, event_ts: at });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await settle(h);
    expect(prompts(h)).toHaveLength(1);
    expect(h.logs.filter((l) => l.includes('has no assistant status'))).toHaveLength(1);
  });
});
