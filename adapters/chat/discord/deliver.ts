import { DiscordAPIError } from 'discord.js';
import type { Progress, Reply } from '../../../src/chat/invocation.ts';
import type { ActionOffer } from '../../../src/chat/answer-actions.ts';
import { createUpdateGate } from '../../../src/chat/live-reply.ts';
import { renderDiscordMessages, renderPreview, threadName } from './render.ts';
import type { OutMessage } from './message-body.ts';
import type { InteractionReplies } from './replies.ts';
import type { OnThread } from './thread-files.ts';

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
  /** Whether a thread can be started from the answer (its channel is not itself a thread). */
  threadable: boolean;
  deferredAt: number;
  /** Named in a late answer (without a ping). */
  askerId: string;
  now: () => number;
  /** Told once per answer why a long one went on in follow-ups instead of a thread. */
  noThread?: (reason: string) => void;
  /** Told the thread an answer opened (its files are kept for the thread's follow-ups). */
  onThread?: OnThread;
}

/**
 * The reply into the deferred message; a public answer longer than one message goes on in a thread
 * started from it (where threads are impossible, in follow-ups), a private one in private follow-ups.
 */
export async function deliver(r: InteractionReplies, reply: Reply, o: DeliverOptions): Promise<void> {
  const privately = reply.visibility === 'private';
  const parts = renderDiscordMessages(reply, { echoQuestion: !privately });
  if (privately && !o.deferredPrivately) {
    await r.deleteOriginal().catch(() => undefined);
    for (const [k, m] of parts.entries()) await r.followUp(k + 1, m, true);
    return;
  }
  let answer: string | undefined;
  let rest = parts.slice(1);
  if (o.now() - o.deferredAt < INTERACTION_TOKEN_MS) {
    try {
      answer = await r.editOriginal(parts[0]!);
    } catch (e) {
      if (!expired(e)) throw e;
    }
  }
  if (privately) {
    for (const [k, m] of rest.entries()) await r.followUp(k + 1, m, true);
    return;
  }
  const late = answer === undefined;
  if (late) {
    // The token ran out (a long job): the answer is posted in the channel or thread, naming the asker (no ping).
    const all = renderDiscordMessages({ ...reply, text: `<@${o.askerId}> ${reply.text}` }, { echoQuestion: true });
    [answer] = await r.postIn(r.channelId, all.slice(0, 1), 0);
    rest = all.slice(1);
  }
  await continueAnswer(r, answer!, rest, { late, thread: (o.openThread && reply.tone !== 'error') || (rest.length > 0 && o.threadable), reply, o });
}

/** The rest of a public answer: in the thread started from its first message, or after it where no thread can be. */
async function continueAnswer(
  r: InteractionReplies,
  first: string,
  rest: OutMessage[],
  c: { late: boolean; thread: boolean; reply: Reply; o: DeliverOptions },
): Promise<void> {
  const opened = c.thread ? await r.startThread(first, threadName(c.reply.question)) : undefined;
  if (opened && 'threadId' in opened) {
    await c.o.onThread?.(opened.threadId, c.reply);
    return void (rest.length > 0 && (await r.postIn(opened.threadId, rest, 1)));
  }
  if (opened && rest.length > 0) c.o.noThread?.(opened.refused);
  if (c.late) return void (rest.length > 0 && (await r.postIn(r.channelId, rest, 1)));
  for (const [k, m] of rest.entries()) await r.followUp(k + 1, m, false);
}

/** The streaming side of a deferred reply: what `onText` and `progress` feed, and the gate the final answer goes through. */
export interface LiveEdits {
  stream(delta: string): void;
  note(p: Progress): void;
  final<T>(write: () => Promise<T>): Promise<T>;
}

/**
 * The deferred reply shown filling in while a job runs: the streamed text (its start, within one
 * message) or a wait note, with the job's Cancel button once the core offers it, edited at most once
 * per interval, latest state winning; the final answer goes through the same gate, so a late
 * intermediate edit can never overwrite it (nor leave a Cancel on a finished answer).
 */
export function liveEdits(editOriginal: (m: OutMessage) => Promise<unknown>, intervalMs: number): LiveEdits {
  const gate = createUpdateGate(intervalMs);
  const since = performance.now();
  const s = { streamed: '', note: '', plan: '', offers: [] as ActionOffer[], done: false };
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The deferred reply already says Hive is thinking: an answer done within one interval is edited in once.
  const show = () => {
    if (s.done) return;
    const wait = intervalMs - (performance.now() - since);
    if (wait > 0) {
      // A timer may fire a little before `wait` has passed by this clock: it reschedules itself then.
      timer ??= setTimeout(() => {
        timer = undefined;
        show();
      }, Math.ceil(wait));
      timer.unref?.();
      return;
    }
    gate.offer(async () => {
      if (!s.done) await editOriginal({ text: renderPreview(s.streamed, s.note || s.plan), offers: s.offers });
    });
  };
  return {
    stream(delta) {
      s.streamed += delta;
      show();
    },
    note(p) {
      // A plan is visible enough as "thinking" unless it brings a Cancel; a long wait is worth saying.
      if (p.actions && p.actions.length > 0) s.offers = p.actions;
      if (p.kind === 'wait') s.note = p.text;
      else if (p.kind === 'plan') s.plan = p.text;
      if (s.streamed === '' && (p.kind === 'wait' || s.offers.length > 0)) show();
    },
    final: (write) => {
      s.done = true;
      clearTimeout(timer);
      return gate.final(write);
    },
  };
}
