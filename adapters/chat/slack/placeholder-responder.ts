import type { webApi } from '@slack/bolt';
import type { Progress, Reply } from '../../../src/chat/invocation.ts';
import type { SlackDeps } from './deps.ts';
import { createPlaceholder, type PostRecord } from './placeholder.ts';
import { renderReply, type RenderOptions, type SlackMessage } from './render.ts';
import type { UpdateGate } from '../../../src/chat/live-reply.ts';
import type { ActionOffer } from '../../../src/chat/answer-actions.ts';
import type { AssistantStatus } from './assistant-status.ts';
import type { NativeStreamOptions } from './native-stream.ts';
import { slackErrorCode } from './slack-error.ts';

/** Where and how one invocation's answer is delivered. */
export interface ResponderOptions {
  client: webApi.WebClient;
  channel: string;
  userId: string;
  /** Answer inside this thread (mentions, follow-ups); absent for slash commands (top level). */
  threadTs?: string;
  render: RenderOptions;
  /** Show a placeholder when the job is slow (off for quick admin verbs that answer privately). */
  placeholder: boolean;
  /** The question as typed, echoed in the placeholder. */
  question?: string;
  /** Sends a message only the requester sees. */
  ephemeral(msg: SlackMessage): Promise<void>;
  /** Posts for everyone when the bot may not post in the channel (slash commands: `response_url`). */
  fallbackPublic?(msgs: SlackMessage[]): Promise<void>;
  /** Called with the thread's ts after a channel answer is posted (keeps the thread transcript). */
  onPosted?(threadTs: string, reply: Reply): Promise<void>;
  /** Set for a queued job: its first message is tagged and recorded, and a resumed run edits it. */
  recorded?: PostRecord;
  /** Where a native stream may carry the answer (channels and threads); absent: placeholder and edits. */
  stream?: Omit<NativeStreamOptions, 'client' | 'channel' | 'onStarted' | 'postHeader'>;
  /** A DM question's assistant status, shown while the job waits. */
  status?: AssistantStatus;
  /** The placeholder goes up with the first note, not after the delay (a stream that fell back). */
  postNow?: boolean;
}

/** The Invocation's delivery handles, for one job. */
export interface Responder {
  respond(reply: Reply): Promise<void>;
  progress(note: Progress): Promise<void>;
  onText(delta: string): void;
  /** Stops the placeholder before it is posted: a worker answers this job instead. */
  standDown(): void;
}

/** A `response_url` can be used five times. */
const MAX_RESPONSE_URL_USES = 5;
const NO_CHANNEL_ERRORS = ['not_in_channel', 'channel_not_found', 'is_archived'];

/** Today's delivery: a placeholder after a delay (with a Cancel button while the job runs), edited, then replaced by the answer. */
export function createPlaceholderResponder(deps: SlackDeps, o: ResponderOptions): Responder {
  let offers: ActionOffer[] | undefined;
  let waiting = false;
  const placeholder = createPlaceholder(deps, {
    client: o.client,
    channel: o.channel,
    render: o.render,
    auto: o.placeholder && !o.postNow,
    ...(o.threadTs ? { threadTs: o.threadTs } : {}),
    ...(o.question ? { question: o.question } : {}),
    ...(o.recorded ? { recorded: o.recorded } : {}),
    offers: () => offers,
  });
  return {
    async progress(note) {
      if (!o.placeholder) return;
      offers = note.actions?.filter((a) => a.kind === 'cancel');
      waiting = note.kind === 'wait';
      if (waiting) await o.status?.show(note.text);
      placeholder.note(note.text);
    },
    onText(delta) {
      // The answer is arriving: the wait it was held by is over, in the placeholder and the DM status.
      if (waiting) {
        waiting = false;
        placeholder.note('');
        void o.status?.clear();
      }
      placeholder.stream(delta);
    },
    standDown() {
      void placeholder.settle();
      if (o.placeholder) void o.status?.show('is queued…');
    },
    async respond(reply) {
      const placeholderTs = await placeholder.settle();
      await o.status?.clear();
      if (reply.visibility === 'private') return deliverPrivately(o, placeholder.gate, reply, placeholderTs);
      await deliverInChannel(o, placeholder.gate, reply, placeholderTs);
    },
  };
}

export async function deliverPrivately(o: ResponderOptions, gate: UpdateGate, reply: Reply, placeholderTs: string | undefined): Promise<void> {
  const parts = renderReply(reply, { ...o.render, echoQuestion: false }).slice(0, MAX_RESPONSE_URL_USES);
  for (const m of parts) await o.ephemeral(m);
  if (placeholderTs) await gate.final(() => o.client.chat.delete({ channel: o.channel, ts: placeholderTs }));
}

async function deliverInChannel(o: ResponderOptions, gate: UpdateGate, reply: Reply, placeholderTs: string | undefined): Promise<void> {
  const [first, ...rest] = renderReply(reply, o.render);
  if (!first) return;
  let ts = placeholderTs;
  if (ts) {
    const at = ts;
    await gate.final(() => o.client.chat.update({ channel: o.channel, ts: at, text: first.text, blocks: first.blocks }));
  } else {
    try {
      await o.recorded?.intend();
      ts = (await gate.final(() => postPart(o, first, o.threadTs, o.recorded?.metadata))).ts;
      if (ts) await o.recorded?.record(ts);
    } catch (err) {
      if (!o.fallbackPublic || !NO_CHANNEL_ERRORS.includes(slackErrorCode(err) ?? '')) throw err;
      return o.fallbackPublic([first, ...rest].slice(0, MAX_RESPONSE_URL_USES));
    }
  }
  const threadTs = o.threadTs ?? ts;
  for (const m of rest) await gate.final(() => postPart(o, m, threadTs));
  if (threadTs) await o.onPosted?.(threadTs, reply);
}

export function postPart(o: Pick<ResponderOptions, 'client' | 'channel'>, m: SlackMessage, threadTs: string | undefined, metadata?: PostRecord['metadata']) {
  return o.client.chat.postMessage({
    channel: o.channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(metadata ? { metadata } : {}),
    text: m.text,
    blocks: m.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
}
