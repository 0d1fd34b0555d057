import { afterEach, describe, expect, it } from 'vitest';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, modelCalls, type Harness } from './harness.ts';
import { changed, channelMessage, deleted, digestOn, spyObserve, startCaptureHarness, storedRows, waitForRows } from './digest-capture-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WS = `slack:${TEAM}`;
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('Slack messages feed the digest capture', () => {
  it('stores a person’s channel message with author, plain text, time and permalink, and a private channel’s too', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    await digestOn(h, 'C0PRIV');
    const text = 'ask <@U0002|bob> in <#C0003|general> about <https://docs.example.com|the docs> &amp; <!here>';
    await h.event('EvC1', channelMessage('1700000100.000100', text, { user_profile: { display_name: 'Ada', real_name: 'Ada Lovelace' } }));
    await h.event('EvC2', channelMessage('1700000101.000200', 'private note', { channel: 'C0PRIV', channel_type: 'group' }));
    const rows = await waitForRows(h, (r) => r.length === 2);
    expect(rows.map(({ expires_at: _e, ...r }) => r)).toEqual([
      {
        workspace_id: WS,
        channel_id: CHANNEL,
        message_id: '1700000100.000100',
        thread_id: null,
        author_id: USER,
        author_name: 'Ada',
        text: 'ask @bob in #general about the docs (https://docs.example.com) & @here',
        at: 1700000100000,
        permalink: 'https://acme.slack.com/archives/C0001/p1700000100000100',
        edited: 0,
      },
      {
        workspace_id: WS,
        channel_id: 'C0PRIV',
        message_id: '1700000101.000200',
        thread_id: null,
        author_id: USER,
        author_name: USER,
        text: 'private note',
        at: 1700000101000,
        permalink: 'https://acme.slack.com/archives/C0PRIV/p1700000101000200',
        edited: 0,
      },
    ]);
    // Names and links come from the event and the team's address: no call per message.
    expect(h.slack.of('users.info')).toHaveLength(0);
    expect(h.slack.of('chat.getPermalink')).toHaveLength(0);
  });

  it('stores a thread reply with its parent as the thread and a reply permalink', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    await h.event('EvT1', channelMessage('1700000201.000100', 'a reply', { thread_ts: '1700000200.000100' }));
    await h.event('EvT2', channelMessage('1700000202.000100', 'sent to the channel too', { subtype: 'thread_broadcast', thread_ts: '1700000200.000100' }));
    const rows = await waitForRows(h, (r) => r.length === 2);
    expect(rows.map((r) => [r.message_id, r.thread_id, r.text, r.permalink])).toEqual([
      ['1700000201.000100', '1700000200.000100', 'a reply', 'https://acme.slack.com/archives/C0001/p1700000201000100?thread_ts=1700000200.000100&cid=C0001'],
      [
        '1700000202.000100',
        '1700000200.000100',
        'sent to the channel too',
        'https://acme.slack.com/archives/C0001/p1700000202000100?thread_ts=1700000200.000100&cid=C0001',
      ],
    ]);
  });

  it('reports a message of a channel without a digest to the core, which stores nothing', async () => {
    h = await startCaptureHarness();
    await digestOn(h, 'C0OTHER');
    const observed = spyObserve(h);
    await h.event('EvN1', channelMessage('1700000300.000100', 'nobody digests this channel'));
    await h.slack.waitFor(() => observed.events().length === 1);
    await observed.settled();
    expect(observed.events()[0]).toMatchObject({ kind: 'message', message: { channelId: CHANNEL, messageId: '1700000300.000100' } });
    expect(await storedRows(h)).toEqual([]);
  });

  it('never reports a bot: Hive’s own message, any bot_id, bot_message, Slackbot, or a bot’s edit and deletion', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    const observed = spyObserve(h);
    await h.event('EvB1', channelMessage('1700000400.000001', 'Hive answering', { user: BOT_USER, bot_id: 'BBOT' }));
    await h.event('EvB2', channelMessage('1700000400.000002', 'another app', { user: 'U0APP', bot_id: 'B0OTHER' }));
    await h.event('EvB3', channelMessage('1700000400.000003', 'webhook post', { subtype: 'bot_message', bot_id: 'B0HOOK', user: undefined, username: 'ci' }));
    await h.event('EvB4', channelMessage('1700000400.000004', 'reminder', { user: 'USLACKBOT' }));
    await h.event('EvB5', changed('1700000400.000002', 'edited by the app', 'another app', { user: 'U0APP', bot_id: 'B0OTHER' }));
    await h.event('EvB6', changed('1700000400.000001', 'Hive edited', 'Hive answering', { user: BOT_USER, bot_id: 'BBOT' }));
    await h.event('EvB7', deleted('1700000400.000002', { type: 'message', user: 'U0APP', bot_id: 'B0OTHER', text: 'x', ts: '1700000400.000002' }));
    await h.event('EvB8', channelMessage('1700000400.000009', 'a person, last'));
    await waitForRows(h, (r) => r.length > 0);
    await settle();
    expect(observed.events().map((e) => e.kind)).toEqual(['message']);
    expect((await storedRows(h)).map((r) => [r.message_id, r.author_id])).toEqual([['1700000400.000009', USER]]);
  });

  it('an edit updates the stored text; a change that leaves the text alone (a reply count, an unfurl) is no edit', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    const observed = spyObserve(h);
    await h.event('EvE1', channelMessage('1700000500.000100', 'the meeting is at 3'));
    await waitForRows(h, (r) => r.length === 1);
    await h.event('EvE2', changed('1700000500.000100', 'the meeting is at 3', 'the meeting is at 3', { reply_count: 1 }));
    await h.event('EvE3', changed('1700000500.000100', 'the meeting is at <!date^1700010000^{time}|4>', 'the meeting is at 3'));
    const [row] = await waitForRows(h, (r) => r[0]?.edited === 1);
    expect([row!.text, row!.edited, row!.permalink]).toEqual(['the meeting is at 4', 1, 'https://acme.slack.com/archives/C0001/p1700000500000100']);
    expect(observed.events().map((e) => e.kind)).toEqual(['message', 'edit']);
  });

  it('a deletion removes the row; so does a thread parent deleted under its replies (left as a tombstone)', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    await h.event('EvD1', channelMessage('1700000600.000100', 'oops'));
    await h.event('EvD2', channelMessage('1700000601.000100', 'a parent'));
    await h.event('EvD3', channelMessage('1700000602.000100', 'its reply', { thread_ts: '1700000601.000100' }));
    await waitForRows(h, (r) => r.length === 3);
    await h.event('EvD4', deleted('1700000600.000100'));
    await h.event('EvD5', changed('1700000601.000100', 'This message was deleted.', 'a parent', { subtype: 'tombstone', user: 'USLACKBOT', hidden: true }));
    const rows = await waitForRows(h, (r) => r.length === 1);
    expect(rows.map((r) => [r.message_id, r.text])).toEqual([['1700000602.000100', 'its reply']]);
  });

  it('never reports a direct message, even one whose conversation id has a digest on; Hive still answers it', async () => {
    h = await startCaptureHarness({ keys: { [TEAM]: KEY } });
    await digestOn(h, 'D0DM');
    await digestOn(h, CHANNEL);
    const observed = spyObserve(h);
    await h.event('EvM1', channelMessage('1700000700.000100', 'what is 6x7?', { channel: 'D0DM', channel_type: 'im' }));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await h.event('EvM2', channelMessage('1700000701.000100', 'a channel message, last'));
    await waitForRows(h, (r) => r.length === 1);
    await settle();
    expect(observed.events().map((e) => (e.kind === 'message' ? e.message.channelId : e.channelId))).toEqual([CHANNEL]);
    expect((await storedRows(h)).map((r) => r.channel_id)).toEqual([CHANNEL]);
    expect(h.slack.of('chat.postMessage')[0]!.body.channel).toBe('D0DM');
  });
});

describe('capture beside the thread answers', () => {
  const mention = (ts: string, text: string, extra: Record<string, unknown> = {}) => ({
    type: 'app_mention',
    user: USER,
    text,
    ts,
    event_ts: ts,
    channel: CHANNEL,
    team: TEAM,
    ...extra,
  });

  it('stores a retried delivery once and answers the thread once; a message Hive answers is captured too', async () => {
    h = await startCaptureHarness({ keys: { [TEAM]: KEY } });
    await digestOn(h, CHANNEL);
    const observed = spyObserve(h);
    const thread = '1700000800.000100';
    // Slack sends a channel mention twice: as app_mention (answered) and as message.channels (captured).
    await h.event('EvR1', mention(thread, `<@${BOT_USER}> what is 6x7?`));
    await h.event('EvR2', channelMessage(thread, `<@${BOT_USER}> what is 6x7?`));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const reply = channelMessage('1700000801.000100', 'and times two?', { thread_ts: thread });
    await Promise.all([0, 1, 2].map((n) => h!.event('EvR3', reply, { retryNum: n || undefined })));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    const rows = await waitForRows(h, (r) => r.length === 2);
    await settle();
    expect(modelCalls(h.vendor)).toHaveLength(2);
    expect(h.slack.of('chat.postMessage')).toHaveLength(2);
    expect(rows.map((r) => [r.message_id, r.thread_id, r.text])).toEqual([
      [thread, null, '@UBOT what is 6x7?'],
      ['1700000801.000100', thread, 'and times two?'],
    ]);
    expect(await storedRows(h)).toHaveLength(2);
    expect(observed.events().filter((e) => e.kind === 'message' && e.message.messageId === '1700000801.000100')).toHaveLength(1);
  });

  it('a failing capture is a warning: the thread is still answered and nothing reaches Bolt’s error handler', async () => {
    h = await startCaptureHarness({ keys: { [TEAM]: KEY } });
    await digestOn(h, CHANNEL);
    spyObserve(h).spy.mockRejectedValue(new Error('log store unavailable'));
    await h.event('EvF1', mention('1700000900.000100', `<@${BOT_USER}> what is 6x7?`));
    await h.event('EvF2', channelMessage('1700000900.000100', `<@${BOT_USER}> what is 6x7?`));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await h.event('EvF3', channelMessage('1700000901.000100', 'and times two?', { thread_ts: '1700000900.000100' }));
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);
    await h.slack.waitFor(() => h!.logs.filter((l) => l.includes('Slack message not captured for the digest')).length === 2);
    const warnings = h.logs.filter((l) => l.includes('Slack message not captured')).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(warnings.every((w) => w.level === 40)).toBe(true);
    expect(h.logs.some((l) => l.includes('Slack listener failed'))).toBe(false);
    expect(await storedRows(h)).toEqual([]);
  });
});
