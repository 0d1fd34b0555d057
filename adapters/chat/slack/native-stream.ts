import type { types, webApi } from '@slack/bolt';
import type { ProgressTask, Reply } from '../../../src/chat/invocation.ts';
import { createUpdateGate } from '../../../src/chat/live-reply.ts';
import { renderLinks, type ReplyLink } from '../../../src/chat/reply-links.ts';
import { renderMentions } from '../../../src/shared/platform-terms.ts';
import type { SlackDeps } from './deps.ts';
import { safeText } from './mrkdwn.ts';
import { replyTail } from './render.ts';
import { slackErrorCode } from './slack-error.ts';

/** A streamed message's markdown stays under Slack's 12,000 characters of markdown per message, with room to spare. */
export const STREAM_MAX_CHARS = 11_000;

type Chunk = types.AnyChunk;

export interface NativeStreamOptions {
  /** Posts the message a slash command's stream threads under; resolves with its ts. */
  postHeader?(): Promise<string | undefined>;
  client: webApi.WebClient;
  teamId: string;
  channel: string;
  /** The thread the stream replies in; absent: a placeholder is posted to stream under (a slash command). */
  thread?(): Promise<string | undefined>;
  /** The message `thread()` posted to stream under, if it posted one (a slash command's question). */
  header?(): string | undefined;
  /** Outside a DM, the person the stream is for (Slack requires it there). */
  recipient?: { userId: string; teamId: string };
  /** Notes the stream's message once started (a queued job's delivery record). */
  onStarted?(ts: string): Promise<void>;
}

/** One answer as a native Slack stream: start, paced appends, stop with the footer and actions. */
export interface NativeStream {
  /** Starts the stream; false when Slack refused it (the answer falls back to a placeholder). */
  begin(): Promise<boolean>;
  text(delta: string): void;
  task(t: ProgressTask): void;
  plan(title: string): void;
  /** Stops the stream with the reply's rest and tail; resolves with the thread and the text that did not fit. */
  finish(reply: Reply): Promise<{ threadTs: string; overflow: string }>;
}

/**
 * Streams through `chat.startStream`/`appendStream`/`stopStream` directly (not the SDK's
 * `chatStream`, which appends every 256 characters): every write goes through one gate, at most one
 * per `streamIntervalMs` (appendStream is Tier 4), with deltas and task updates batched in between.
 */
export function createNativeStream(deps: SlackDeps, o: NativeStreamOptions): NativeStream {
  const gate = createUpdateGate(deps.timing.streamIntervalMs, deps.clock, (err) => deps.log.warn({ err }, 'Slack stream append failed'));
  const s = { ts: undefined as string | undefined, thread: '', sentRaw: '', sentChars: 0, pending: '', full: false, reopen: false, chunks: [] as Chunk[] };
  let waiting: string | undefined;
  const waited = () => {
    if (waiting !== undefined) s.chunks.push({ type: 'task_update', id: 'wait', title: waiting, status: 'complete' });
    waiting = undefined;
  };
  /** `final`: the whole rest may go; mid-stream a word still arriving is held, so a full stream never ends inside a word. */
  const take = (final = false): Chunk[] => {
    const out: Chunk[] = [];
    const ready = final ? s.pending : s.pending.slice(0, s.pending.length - partialWord(s.pending));
    const text = s.full ? { raw: '', safe: '' } : fit(ready, STREAM_MAX_CHARS - CLOSE_FENCE.length - s.sentChars);
    const filled = !s.full && text.raw.length < ready.length;
    // A stream that fills up inside a code block closes it there; the rest, in the thread, reopens it.
    const close = filled && fences(s.sentRaw + text.raw) % 2 === 1 ? CLOSE_FENCE : '';
    if (filled) [s.full, s.reopen] = [true, close !== ''];
    if (text.raw || close) {
      out.push({ type: 'markdown_text', text: text.safe + close });
      s.sentRaw += text.raw;
      s.sentChars += text.safe.length + close.length;
      s.pending = s.pending.slice(text.raw.length);
    }
    out.push(...s.chunks.splice(0));
    return out;
  };
  const flush = async () => {
    const chunks = take();
    if (s.ts && chunks.length > 0) await o.client.chat.appendStream({ channel: o.channel, ts: s.ts, chunks });
  };
  return {
    async begin() {
      if (!deps.streams.allows(o.teamId, 'stream')) return false;
      try {
        const thread = o.thread ? await o.thread() : await o.postHeader?.();
        if (!thread) return false;
        s.thread = thread;
        const recipient = o.recipient ? { recipient_user_id: o.recipient.userId, recipient_team_id: o.recipient.teamId } : {};
        const chunks = take();
        const r = await gate.final(() =>
          o.client.chat.startStream({ channel: o.channel, thread_ts: thread, ...recipient, ...(chunks.length > 0 ? { chunks } : { markdown_text: ' ' }) }),
        );
        if (!r.ts) return false;
        s.ts = r.ts;
        await o.onStarted?.(r.ts);
        return true;
      } catch (err) {
        if (!deps.streams.refused(o.teamId, 'stream', slackErrorCode(err))) deps.log.warn({ err }, 'could not start a Slack stream; using a placeholder');
        return false;
      }
    },
    text(delta) {
      s.pending += delta;
      waited();
      if (s.ts) gate.offer(flush);
    },
    task(t) {
      if (t.id === 'wait') waiting = t.status === 'in_progress' ? t.title : undefined;
      s.chunks.push({ type: 'task_update', id: t.id, title: t.title, status: t.status, ...(t.details ? { details: t.details } : {}) });
      if (s.ts) gate.offer(flush);
    },
    plan(title) {
      s.chunks.push({ type: 'plan_update', title });
      if (s.ts) gate.offer(flush);
    },
    async finish(reply) {
      const final = reply.text.startsWith(s.sentRaw + s.pending) || reply.text.startsWith(s.sentRaw) ? reply.text : `${s.sentRaw}\n\n${reply.text}`;
      s.pending = final.slice(s.sentRaw.length);
      waited();
      const chunks = take(true);
      const sources = sourcesOf(reply.links);
      const done = [...chunks.map((c) => withMarkup(c, reply)), ...(sources ? [sources] : [])];
      const ts = s.ts!;
      await gate.final(() => o.client.chat.stopStream({ channel: o.channel, ts, ...(done.length > 0 ? { chunks: done } : {}), blocks: replyTail(reply) }));
      const overflow = s.reopen && s.pending.trim() ? `${OPEN_FENCE}${s.pending.replace(/^\n+/, '')}` : s.pending;
      return { threadTs: s.thread, overflow };
    },
  };
}

const OPEN_FENCE = '```\n';
const CLOSE_FENCE = '\n```';
const fences = (text: string) => text.split('```').length - 1;

/** The longest start of `raw` whose escaped form fits `room`, cut at a line end when one is near. */
function fit(raw: string, room: number): { raw: string; safe: string } {
  let cut = raw.length;
  while (cut > 0 && safeText(raw.slice(0, cut)).length > room) cut = Math.floor(cut * 0.9);
  if (cut < raw.length) {
    const nl = raw.lastIndexOf('\n', cut - 1);
    const space = Math.max(raw.lastIndexOf(' ', cut - 1), raw.lastIndexOf('\t', cut - 1));
    if (nl > cut / 2) cut = nl + 1;
    else if (space > cut / 2) cut = space + 1;
    else if (/[\ud800-\udbff]/.test(raw.charAt(cut - 1))) cut -= 1;
  }
  const part = raw.slice(0, cut);
  return { raw: part, safe: safeText(part) };
}

/** The length of a word at the end of `text` that may still be arriving (none past 40 characters: a long token goes as it is). */
function partialWord(text: string): number {
  const tail = /\S+$/.exec(text)?.[0].length ?? 0;
  return tail <= 40 ? tail : 0;
}

/** Hive's own links (a digest's sources) as markdown links, and mentions as ids, in the final text chunk. */
function withMarkup(c: Chunk, reply: Reply): Chunk {
  if (c.type !== 'markdown_text') return c;
  const md = (l: ReplyLink) => `[${l.label.replace(/[[\]]/g, '')}](${l.url.replace(/[()\s]/g, encodeURIComponent)})`;
  return { ...c, text: renderMentions(renderLinks(c.text, reply.links, md), (m) => m.id) };
}

/** A reply's links as the sources of a finished task, which Slack shows under the answer. */
function sourcesOf(links: readonly ReplyLink[] | undefined): Chunk | undefined {
  if (!links || links.length === 0) return undefined;
  const sources = links.slice(0, 20).map((l) => ({ type: 'url' as const, url: l.url, text: l.label.slice(0, 150) }));
  return { type: 'task_update', id: 'sources', title: 'Sources', status: 'complete', sources };
}
