import { runChatAdapterContract, type SeenMessage } from '../contracts/chat-adapter.contract.ts';
import type { FakeSlackCall } from '../fakes/slack-api.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, blockTexts, modelCalls, startHarness } from './harness.ts';

/** What Slack users would see, from the calls the fake Web API and `response_url`s received. */
function seenOf(calls: FakeSlackCall[]): SeenMessage[] {
  return calls.flatMap((c): SeenMessage[] => {
    const text = [...blockTexts(c.body), String(c.body.text ?? '')].join('\n');
    const thread = typeof c.body.thread_ts === 'string' ? { threadId: c.body.thread_ts } : {};
    if (c.method === 'chat.postMessage') return [{ text, audience: 'everyone', ...thread }];
    if (c.method === 'chat.update') return [{ text, audience: 'everyone', edited: true }];
    if (c.method === 'chat.postEphemeral') return [{ text, audience: 'requester', ...thread }];
    if (c.method === 'response_url') return [{ text, audience: c.body.response_type === 'in_channel' ? 'everyone' : 'requester' }];
    return [];
  });
}

let n = 0;
const ts = () => `1700000${String(++n).padStart(3, '0')}.000100`;

runChatAdapterContract({
  name: 'slack',
  async start(respond) {
    const h = await startHarness({ respond, keys: { [TEAM]: KEY } });
    return {
      adapter: h.adapter,
      channel: { workspaceId: `slack:${TEAM}`, channelId: CHANNEL },
      async command(name, text) {
        await h.slash(text, { command: `/${name}` });
      },
      async startThread(text) {
        const at = ts();
        await h.event(`Ev${at}`, { type: 'app_mention', user: USER, text: `<@${BOT_USER}> ${text}`, channel: CHANNEL, ts: at, event_ts: at });
        return at;
      },
      async followUp(threadId, text) {
        const at = ts();
        await h.event(`Ev${at}`, { type: 'message', user: USER, text, channel: CHANNEL, channel_type: 'channel', ts: at, thread_ts: threadId, event_ts: at });
      },
      async redeliver(text) {
        const at = ts();
        const event = { type: 'app_mention', user: USER, text: `<@${BOT_USER}> ${text}`, channel: CHANNEL, ts: at, event_ts: at };
        await h.event(`Ev${at}`, event);
        await h.event(`Ev${at}`, event, { retryNum: 1 });
      },
      seen: () => seenOf(h.slack.calls),
      modelCalls: () => modelCalls(h.vendor),
      // A message's block text stays under Slack's `msg_blocks_too_long` bound, plus its fallback text.
      maxMessageChars: 2 * 12_000 + 1,
      notifiesEveryone: (text) => /<!(channel|here|everyone)/.test(text) || /(^|[^\u200b])@(channel|here|everyone)\b/.test(text),
      close: () => h.close(),
    };
  },
});
