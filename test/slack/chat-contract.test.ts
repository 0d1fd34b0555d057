import { encodeAction, type ActionOffer } from '../../src/chat/answer-actions.ts';
import { runChatAdapterContract, type ChatPlatformUnderTest } from '../contracts/chat-adapter.contract.ts';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import { blockActionsPayload } from '../fakes/slack-actions.ts';
import { buttonsSeen, seenOnSlack } from '../fakes/slack-seen.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, modelCalls, startHarness, type Harness, type HarnessOptions } from './harness.ts';

let n = 0;
const ts = () => `1700000${String(++n).padStart(3, '0')}.000100`;

/** Presses as Slack delivers them: on the message that carried the button, a `response_url` on private ones. */
function slackActions(h: Harness): NonNullable<ChatPlatformUnderTest['actions']> {
  const last = new Map<string, Record<string, unknown>>();
  const payload = (offer: ActionOffer, userId: string, triggerId: string) => {
    const value = encodeAction(offer);
    const b = buttonsSeen(h.slack.calls, CHANNEL).findLast((x) => x.value === value);
    if (!b) throw new Error(`no button seen for ${value}`);
    const { actionId, channelId, messageTs, ephemeral } = b;
    const where = {
      channelId,
      messageTs,
      ...(b.threadTs ? { threadTs: b.threadTs } : {}),
      ...(ephemeral ? { ephemeral, responseUrl: h.slack.responseUrl(triggerId) } : {}),
    };
    return blockActionsPayload({ teamId: TEAM, userId, actionId, value, triggerId, ...where });
  };
  return {
    offered: () => buttonsSeen(h.slack.calls, CHANNEL).map((b) => b.offer),
    async press(offer, userId = USER) {
      const p = payload(offer, userId, `t.contract.${++n}`);
      last.set(`${encodeAction(offer)}:${userId}`, p);
      await h.interact(p);
    },
    async repress(offer, userId = USER) {
      const p = last.get(`${encodeAction(offer)}:${userId}`);
      if (!p) throw new Error('nothing pressed yet to press again');
      await h.interact(p);
    },
  };
}

/** The bot under the shared suite, over the fake Slack: `timing` decides whether answers stream. */
async function startSlack(respond: (req: FakeRequest) => FakeBehaviour, timing?: HarnessOptions['timing']): Promise<ChatPlatformUnderTest> {
  const h = await startHarness({ respond, keys: { [TEAM]: KEY }, ...(timing ? { timing } : {}) });
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
    seen: () => seenOnSlack(h.slack.calls),
    modelCalls: () => modelCalls(h.vendor),
    actions: slackActions(h),
    // A message's block text stays under Slack's `msg_blocks_too_long` bound, plus its fallback text.
    maxMessageChars: 2 * 12_000 + 1,
    notifiesEveryone: (text) => /<!(channel|here|everyone)/.test(text) || /(^|[^\u200b])@(channel|here|everyone)\b/.test(text),
    close: () => h.close(),
  };
}

runChatAdapterContract({ name: 'slack', start: (respond) => startSlack(respond) });

// Every answer outlasts a zero placeholder delay: each one is a native stream (start, appends, stop).
runChatAdapterContract({ name: 'slack, streamed answers', start: (respond) => startSlack(respond, { placeholderDelayMs: 0 }) });
