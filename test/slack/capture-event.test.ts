import { describe, expect, it } from 'vitest';
import { captureEventOf, msOfTs, type CaptureContext } from '../../adapters/chat/slack/capture-event.ts';
import { permalinkFor } from '../../adapters/chat/slack/permalink.ts';
import { createTeamUrls, type AuthTester } from '../../adapters/chat/slack/team-urls.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';

const c: CaptureContext = { workspaceId: 'slack:T1', botUserId: 'UBOT', botId: 'BBOT' };
const msg = (extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel: 'C1',
  channel_type: 'channel',
  user: 'U1',
  text: 'hi',
  ts: '1700000000.123456',
  ...extra,
});

describe('captureEventOf', () => {
  it('keeps people’s messages in channels and private channels, with a thread id only for replies', () => {
    expect(captureEventOf(msg(), c)).toEqual({
      kind: 'message',
      message: { workspaceId: 'slack:T1', channelId: 'C1', messageId: '1700000000.123456', authorId: 'U1', authorName: 'U1', text: 'hi', at: 1700000000123 },
    });
    expect(captureEventOf(msg({ channel_type: 'group' }), c)?.kind).toBe('message');
    // A thread's parent carries thread_ts equal to its own ts: it is not a reply.
    expect(captureEventOf(msg({ thread_ts: '1700000000.123456' }), c)).not.toHaveProperty('message.threadId');
    expect(captureEventOf(msg({ thread_ts: '1699999999.000001' }), c)).toHaveProperty('message.threadId', '1699999999.000001');
  });

  it('names the author from the event when it says, else by user id', () => {
    const name = (extra: Record<string, unknown>) => {
      const e = captureEventOf(msg(extra), c);
      return e?.kind === 'message' ? e.message.authorName : undefined;
    };
    expect(name({ user_profile: { display_name: '', real_name: 'Ada Lovelace', name: 'ada' } })).toBe('Ada Lovelace');
    expect(name({ user_profile: { name: 'ada' } })).toBe('ada');
    expect(name({ username: 'grace' })).toBe('grace');
    expect(name({ user_profile: 'not an object' })).toBe('U1');
  });

  it('leaves out direct messages, bots, Slackbot, channel notices, empty and malformed messages', () => {
    const none = [
      msg({ channel_type: 'im', channel: 'D1' }),
      msg({ channel_type: 'mpim' }),
      msg({ channel_type: undefined }),
      msg({ bot_id: 'B2' }),
      msg({ subtype: 'bot_message', bot_id: 'B2', user: undefined }),
      msg({ user: 'UBOT' }),
      msg({ user: 'USLACKBOT' }),
      msg({ user: undefined }),
      msg({ subtype: 'channel_join', text: '<@U1> has joined the channel' }),
      msg({ subtype: 'channel_topic' }),
      msg({ text: '   ' }),
      msg({ ts: 'not-a-ts' }),
      { type: 'app_mention', channel: 'C1', user: 'U1', text: 'hi', ts: '1700000000.123456' },
      'not an event',
    ];
    for (const e of none) expect(captureEventOf(e, c)).toBeUndefined();
  });

  it('keeps a person’s file with a comment, a /me and a reply also sent to the channel', () => {
    for (const subtype of ['file_share', 'me_message', 'thread_broadcast']) expect(captureEventOf(msg({ subtype }), c)?.kind).toBe('message');
  });

  it('turns message_changed into an edit only when a person’s text changed; a tombstone is a deletion', () => {
    const change = (m: Record<string, unknown>, before?: Record<string, unknown>) =>
      captureEventOf(
        { type: 'message', subtype: 'message_changed', channel: 'C1', channel_type: 'channel', ts: '1700000009.000001', message: m, previous_message: before },
        c,
      );
    const m = { type: 'message', user: 'U1', text: 'new <@U2>', ts: '1700000000.123456' };
    expect(change(m, { ...m, text: 'old' })).toEqual({
      kind: 'edit',
      workspaceId: 'slack:T1',
      channelId: 'C1',
      messageId: '1700000000.123456',
      text: 'new @U2',
    });
    expect(change(m)).toMatchObject({ kind: 'edit' });
    expect(change(m, m)).toBeUndefined();
    expect(change({ ...m, bot_id: 'B2' }, { text: 'old' })).toBeUndefined();
    expect(change({ ...m, user: 'UBOT' }, { text: 'old' })).toBeUndefined();
    expect(change({ ...m, subtype: 'tombstone', user: 'USLACKBOT' })).toEqual({
      kind: 'delete',
      workspaceId: 'slack:T1',
      channelId: 'C1',
      messageId: '1700000000.123456',
    });
    expect(change({ ...m, ts: undefined })).toBeUndefined();
  });

  it('turns message_deleted into a deletion of deleted_ts, unless a bot’s message went', () => {
    const del = (before?: Record<string, unknown>) =>
      captureEventOf(
        { type: 'message', subtype: 'message_deleted', channel: 'C1', channel_type: 'group', deleted_ts: '1700000000.123456', previous_message: before },
        c,
      );
    expect(del()).toEqual({ kind: 'delete', workspaceId: 'slack:T1', channelId: 'C1', messageId: '1700000000.123456' });
    expect(del({ user: 'U1', text: 'x' })).toMatchObject({ kind: 'delete' });
    expect(del({ bot_id: 'B2', text: 'x' })).toBeUndefined();
  });

  it('reads a ts exactly in ms', () => {
    expect(msOfTs('1700000000.999999')).toBe(1700000000999);
    expect(msOfTs('1700000000.000001')).toBe(1700000000000);
    expect(msOfTs('1700000000')).toBeUndefined();
  });
});

describe('permalinkFor', () => {
  it('builds Slack’s message and reply links under the team’s own address', () => {
    expect(permalinkFor('https://acme.slack.com/', 'C1', '1700000000.123456')).toBe('https://acme.slack.com/archives/C1/p1700000000123456');
    expect(permalinkFor('https://acme.slack.com', 'C1', '1700000001.000002', '1700000000.123456')).toBe(
      'https://acme.slack.com/archives/C1/p1700000001000002?thread_ts=1700000000.123456&cid=C1',
    );
    expect(permalinkFor('https://agency.slack-gov.com/', 'C1', '1700000000.123456')).toBe('https://agency.slack-gov.com/archives/C1/p1700000000123456');
    expect(permalinkFor('javascript:alert(1)', 'C1', '1700000000.123456')).toBeUndefined();
    expect(permalinkFor('not a url', 'C1', '1700000000.123456')).toBeUndefined();
  });
});

describe('createTeamUrls', () => {
  const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), sink: { write: () => undefined } });
  const tester = (answers: (() => Promise<{ url?: string }>)[]) => {
    let calls = 0;
    const client = { auth: { test: () => answers[calls++]!() } } as unknown as AuthTester;
    return { client, calls: () => calls };
  };

  it('asks once per team, sharing the call between concurrent messages, and keeps the answer', async () => {
    const a = tester([async () => ({ url: 'https://a.slack.com/' })]);
    const b = tester([async () => ({ url: 'https://b.slack.com/' })]);
    const urls = createTeamUrls({ log, now: () => 0 });
    const first = await Promise.all([urls.urlOf('TA', a.client), urls.urlOf('TA', a.client), urls.urlOf('TB', b.client)]);
    expect(first).toEqual(['https://a.slack.com/', 'https://a.slack.com/', 'https://b.slack.com/']);
    expect(await urls.urlOf('TA', a.client)).toBe('https://a.slack.com/');
    expect([a.calls(), b.calls()]).toEqual([1, 1]);
  });

  it('after a failure or an answer without a usable url, waits the retry time before one more try', async () => {
    let now = 0;
    const t = tester([() => Promise.reject(new Error('fetch failed')), async () => ({ url: 'ftp://x' }), async () => ({ url: 'https://a.slack.com/' })]);
    const urls = createTeamUrls({ log, now: () => now, retryMs: 1000 });
    expect(await urls.urlOf('TA', t.client)).toBeUndefined();
    now = 999;
    expect(await urls.urlOf('TA', t.client)).toBeUndefined();
    expect(t.calls()).toBe(1);
    now = 1000;
    expect(await urls.urlOf('TA', t.client)).toBeUndefined();
    now = 2000;
    expect(await urls.urlOf('TA', t.client)).toBe('https://a.slack.com/');
    now = 1e12;
    expect(await urls.urlOf('TA', t.client)).toBe('https://a.slack.com/');
    expect(t.calls()).toBe(3);
  });
});
