import { DiscordAPIError } from 'discord.js';
import type { Progress, Reply } from '../../../src/chat/invocation.ts';
import { createUpdateGate } from '../../../src/chat/live-reply.ts';
import { renderDiscordReply, renderPreview, threadName } from './render.ts';
import type { InteractionReplies } from './replies.ts';

/** Edits of a streaming answer: about one a second, Discord's comfortable pace for one message. */
export const STREAM_EDIT_MS = 1_000;
/** An interaction's token lasts 15 minutes; past 14, an answer goes to the channel instead. */
export const INTERACTION_TOKEN_MS = 14 * 60_000;
/** Discord's codes for an interaction token that has expired or is unknown. */
const EXPIRED_TOKEN_CODES = new Set([50027, 10015]);
const expired = (e: unknown) => e instanceof DiscordAPIError && EXPIRED_TOKEN_CODES.has(Number(e.code));

/** What delivering one reply needs: the defer's time, the clock, and what to do with the answer. */
export interface DeliverOptions {
  deferredPrivately: boolean;
  openThread: boolean;
  deferredAt: number;
  /** Named in a late answer (without a ping). */
  askerId: string;
  now: () => number;
}

/** The reply into the deferred message, then follow-ups; a private reply to a public defer goes privately. */
export async function deliver(r: InteractionReplies, reply: Reply, o: DeliverOptions): Promise<void> {
  const privately = reply.visibility === 'private';
  const parts = renderDiscordReply(reply, { echoQuestion: !privately });
  if (privately && !o.deferredPrivately) {
    await r.deleteOriginal().catch(() => undefined);
    for (const [k, content] of parts.entries()) await r.followUp(k + 1, content, true);
    return;
  }
  let answer: string | undefined;
  if (o.now() - o.deferredAt < INTERACTION_TOKEN_MS) {
    try {
      answer = await r.editOriginal(parts[0]!);
      for (const [k, content] of parts.slice(1).entries()) await r.followUp(k + 1, content, privately);
    } catch (e) {
      if (!expired(e)) throw e;
    }
  }
  // The token ran out (a long job): the answer is posted in the channel or thread, naming the asker (no ping).
  answer ??= await r.postInChannel({ ...reply, text: `<@${o.askerId}> ${reply.text}` });
  if (answer && o.openThread && !privately && reply.tone !== 'error') {
    await r.startThread(answer, threadName(reply.question));
  }
}

/** The streaming side of a deferred reply: what `onText` and `progress` feed, and the gate the final answer goes through. */
export interface LiveEdits {
  stream(delta: string): void;
  note(p: Progress): void;
  final<T>(write: () => Promise<T>): Promise<T>;
}

/**
 * The deferred reply shown filling in while a job runs: the streamed text (its start, within one
 * message) or a wait note, edited at most once per interval, latest state winning; the final
 * answer goes through the same gate, so a late intermediate edit can never overwrite it.
 */
export function liveEdits(editOriginal: (content: string) => Promise<unknown>, intervalMs: number): LiveEdits {
  const gate = createUpdateGate(intervalMs);
  const since = performance.now();
  let streamed = '';
  let note = '';
  // The deferred reply already says Hive is thinking: an answer done within one interval is edited in once.
  const show = () =>
    performance.now() - since >= intervalMs &&
    gate.offer(async () => {
      await editOriginal(renderPreview(streamed, note));
    });
  return {
    stream(delta) {
      streamed += delta;
      show();
    },
    note(p) {
      // A plan is visible enough as "thinking"; a long wait is worth saying.
      if (p.kind !== 'wait' || streamed !== '') return;
      note = p.text;
      show();
    },
    final: (write) => gate.final(write),
  };
}
