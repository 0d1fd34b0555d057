import { vi } from 'vitest';
import type { CaptureEvent } from '../../src/chat/capture-event.ts';
import { BOT_TOKEN, BOT_USER, CHANNEL, TEAM, USER, startHarness, type Harness, type HarnessOptions } from './harness.ts';

/** The team's address the fake's `auth.test` answers with in these tests. */
export const TEAM_URL = 'https://acme.slack.com/';

/** The usual harness (single workspace over HTTP, real Hive), with the team's address set to {@link TEAM_URL}. */
export function startCaptureHarness(o: HarnessOptions = {}): Promise<Harness> {
  const workspaces = { [BOT_TOKEN]: { teamId: TEAM, url: TEAM_URL, botUserId: BOT_USER, botId: 'BBOT' } };
  return startHarness({ ...o, slack: { workspaces, ...o.slack } });
}

/** A stored row of the capture table, as the digest will read it. */
export type StoredRow = Awaited<ReturnType<typeof storedRows>>[number];

/** Turns a channel's daily digest on, the way `/digest on` stores it. */
export async function digestOn(h: Harness, channelId: string, teamId = TEAM): Promise<void> {
  const workspaceId = `slack:${teamId}`;
  await h.hive.ctx.digests.channels.put({
    platform: 'slack',
    workspaceId,
    channelId,
    time: '09:00',
    timezone: 'UTC',
    enabledAt: Date.now(),
    enabledBy: 'U1',
    options: {},
  });
}

/** Everything the capture kept, in message order. */
export function storedRows(h: Harness) {
  return h.hive.logs.selectFrom('digest_messages').selectAll().orderBy('message_id').execute();
}

/** Polls the capture table until `predicate` holds (generous timeout, short steps), and returns the rows. */
export async function waitForRows(h: Harness, predicate: (rows: StoredRow[]) => boolean, timeoutMs = 5000): Promise<StoredRow[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await storedRows(h);
    if (predicate(rows)) return rows;
    if (Date.now() > until) throw new Error(`capture table never matched; it holds ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Records what the adapter reports to the core's capture (the calls still reach it). */
export function spyObserve(h: Harness) {
  const spy = vi.spyOn(h.hive.host.capture, 'observe');
  return {
    spy,
    events: (): CaptureEvent[] => spy.mock.calls.map((c) => c[0]),
    /** Waits for every report made so far to be written (or dropped) by the core. */
    settled: () => Promise.all(spy.mock.results.map((r) => r.value as Promise<void>)),
  };
}

/** A person's message in a channel, as `message.channels` delivers it. */
export function channelMessage(ts: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'message', channel: CHANNEL, channel_type: 'channel', user: USER, text, ts, event_ts: ts, team: TEAM, ...extra };
}

/** `message_changed`: Slack's hidden event carrying the new message and the previous one. */
export function changed(ts: string, text: string, before: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const edited = { type: 'message', user: USER, text, ts, edited: { user: USER, ts: '1700009999.000001' }, ...extra };
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: CHANNEL,
    channel_type: 'channel',
    ts: '1700009999.000001',
    event_ts: '1700009999.000001',
    message: edited,
    previous_message: { type: 'message', user: USER, text: before, ts },
  };
}

/** `message_deleted`: `deleted_ts` names the message that went. */
export function deleted(ts: string, previous: Record<string, unknown> = { type: 'message', user: USER, text: 'gone', ts }): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: CHANNEL,
    channel_type: 'channel',
    ts: '1700009998.000001',
    event_ts: '1700009998.000001',
    deleted_ts: ts,
    previous_message: previous,
  };
}
