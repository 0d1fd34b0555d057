import { decodeAction, type ActionOffer } from '../../src/chat/answer-actions.ts';
import type { FakeSlackCall } from './slack-api.ts';
import { buttonValues } from './slack-actions.ts';

/** One message as Slack's users would see it, built from the calls that made it. */
export interface SlackSeenMessage {
  text: string;
  audience: 'requester' | 'everyone';
  threadId?: string;
  edited?: boolean;
}

/** Where a button was seen: enough to press it as Slack would report the press. */
export interface SeenButton {
  offer: ActionOffer;
  actionId: string;
  value: string;
  channelId: string;
  /** The message carrying it, and its thread's ts when it is a reply. */
  messageTs: string;
  threadTs?: string;
  /** Shown to one person only (an ephemeral or a private `response_url` reply): presses carry a `response_url`. */
  ephemeral: boolean;
}

const STREAM = ['chat.startStream', 'chat.appendStream', 'chat.stopStream'];

/** Section and context texts of a message's blocks, in order. */
export function blocksText(body: Record<string, unknown>): string[] {
  const blocks = (body.blocks ?? []) as { type: string; text?: { text: string }; elements?: { text?: string }[] }[];
  return blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : (b.elements ?? []).map((e) => e.text ?? '').join(' ')));
}

/** The markdown one stream call carries (its chunks, or a start's `markdown_text`). */
export function streamedMarkdown(c: Pick<FakeSlackCall, 'body'>): string {
  const chunks = Array.isArray(c.body.chunks) ? (c.body.chunks as { type: string; text?: string }[]) : [];
  const md = chunks.filter((k) => k.type === 'markdown_text').map((k) => k.text ?? '');
  // A start with only whitespace (a stream opened before any text) adds nothing; real text keeps its spaces.
  const start = typeof c.body.markdown_text === 'string' && c.body.markdown_text.trim() !== '' ? c.body.markdown_text : '';
  return [start, ...md].join('');
}

/**
 * What Slack users would see, from the calls the fake Web API and `response_url`s received: posts,
 * edits, ephemerals (`requester`), and each native stream as one message at its start, holding
 * every markdown chunk appended so far and, once stopped, the blocks it stopped with.
 */
export function seenOnSlack(calls: readonly FakeSlackCall[]): SlackSeenMessage[] {
  const out: SlackSeenMessage[] = [];
  const streams = new Map<string, SlackSeenMessage>();
  for (const c of calls) {
    const text = [...blocksText(c.body), String(c.body.text ?? '')].join('\n');
    const thread = typeof c.body.thread_ts === 'string' ? { threadId: c.body.thread_ts } : {};
    if (c.method === 'chat.postMessage') out.push({ text, audience: 'everyone', ...thread });
    else if (c.method === 'chat.update') out.push({ text, audience: 'everyone', edited: true });
    else if (c.method === 'chat.postEphemeral') out.push({ text, audience: 'requester', ...thread });
    else if (c.method === 'response_url') out.push({ text, audience: c.body.response_type === 'in_channel' ? 'everyone' : 'requester' });
    else if (STREAM.includes(c.method) && c.result?.ok === true) {
      const ts = String(c.result.ts ?? c.body.ts);
      let m = streams.get(ts);
      if (!m && c.method !== 'chat.startStream') continue;
      if (!m) streams.set(ts, (m = { text: '', audience: 'everyone', ...thread }));
      if (c.method === 'chat.startStream') out.push(m);
      m.text += streamedMarkdown(c);
      if (c.method === 'chat.stopStream') m.text = [m.text, ...blocksText(c.body)].join('\n');
    }
  }
  return out;
}

/** The ts of the message a call posted or touched, and the thread it is in. */
function placeOf(c: FakeSlackCall, calls: readonly FakeSlackCall[]): { messageTs: string; threadTs?: string } {
  const at = (ts: string) => calls.find((p) => ['chat.postMessage', 'chat.startStream'].includes(p.method) && p.result?.ts === ts);
  const ts = String(c.method === 'chat.postMessage' ? c.result?.ts : c.method === 'chat.postEphemeral' ? c.result?.message_ts : (c.body.ts ?? ''));
  const thread = c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral' ? c.body.thread_ts : at(ts)?.body.thread_ts;
  return { messageTs: ts, ...(typeof thread === 'string' ? { threadTs: thread } : {}) };
}

const CARRIERS = ['chat.postMessage', 'chat.update', 'chat.stopStream', 'chat.postEphemeral', 'response_url'];

/** Every Hive button and feedback button seen on posted, updated, stopped-stream and private messages, oldest first. */
export function buttonsSeen(calls: readonly FakeSlackCall[], channelId: string): SeenButton[] {
  const out: SeenButton[] = [];
  for (const [i, c] of calls.entries()) {
    if (!CARRIERS.includes(c.method)) continue;
    const ephemeral = c.method === 'chat.postEphemeral' || (c.method === 'response_url' && c.body.response_type !== 'in_channel');
    const place = c.method === 'response_url' ? { messageTs: `1700009999.${String(i).padStart(6, '0')}` } : placeOf(c, calls);
    for (const b of buttonValues(c.body.blocks)) {
      const offer = decodeAction(b.value);
      const channel = typeof c.body.channel === 'string' ? c.body.channel : channelId;
      if (offer) out.push({ offer, ...b, channelId: channel, ...place, ephemeral });
    }
  }
  return out;
}
