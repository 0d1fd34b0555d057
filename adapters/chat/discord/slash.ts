import { DiscordAPIError, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type Message } from 'discord.js';
import { sendParts } from './send.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Invocation, Progress, Reply } from '../../../src/chat/invocation.ts';
import { createUpdateGate } from '../../../src/chat/update-gate.ts';
import type { ChatMessage } from '../../../src/types.ts';
import { threadHistory } from './history.ts';
import { isHiveThread } from './thread.ts';
import { DISCORD_MESSAGE_MAX, renderDiscordReply } from './render.ts';
import { slashText } from './slash-text.ts';
import { NO_MENTIONS, workspaceIdFor } from './conventions.ts';
import { keyFormModal } from './key-form.ts';
import { UserError } from '../../../src/errors.ts';

/** Discord's limit for a thread's name. */
const THREAD_NAME_MAX = 100;

/**
 * A slash command: deferred at once (Discord allows 3 s), run by the dispatcher, and answered by
 * editing the deferred reply; longer answers continue in follow-ups. Quick commands (`/hive …`)
 * defer privately. A conversational answer in a channel opens a public thread from itself for
 * follow-ups; in one of Hive's threads it is answered in place, with the thread as context.
 */
export async function runSlash(host: ChatHost, i: ChatInputCommandInteraction, now: () => number = Date.now, streamEditMs = STREAM_EDIT_MS): Promise<void> {
  if (!i.guildId) {
    await i.reply({
      content: 'Hive answers in servers, where each server registers its own keys.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const traits = host.commands.find(i.commandName);
  const quick = traits?.quick === true;
  // A quick command answers within Discord's 3 s itself (and may open a form, which must be the
  // first response); a model job is deferred at once.
  const ack = quick ? lazyAck(i) : undefined;
  if (!quick) await i.deferReply();
  const deferredAt = now();
  const live = quick ? undefined : liveEdits(i, streamEditMs);
  const botId = i.client.user.id;
  const thread = isHiveThread(i.channel, botId) ? i.channel : undefined;
  const context: ChatMessage[] = thread && traits?.conversational ? await threadHistory(thread, botId, '') : [];
  const inv: Invocation = {
    platform: 'discord',
    workspaceId: workspaceIdFor(i.guildId),
    // A thread (Hive's or any other) belongs to its parent channel: budgets, lanes and digests are the channel's.
    channelId: parentOf(i.channel) ?? i.channelId,
    ...(i.channel?.isThread() ? { threadId: i.channel.id } : {}),
    userId: i.user.id,
    command: i.commandName,
    text: slashText(i),
    ...(context.length > 0 ? { context } : {}),
    isAdmin: async () => host.config.adminUserIds.includes(i.user.id) || (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    respond: async (reply) => {
      if (ack && (await ack.answer(reply))) return;
      const o = { deferredPrivately: quick, openThread: traits?.conversational === true && !thread && !i.channel?.isThread(), deferredAt, now };
      await (live ? live.final(() => deliver(i, reply, o)) : deliver(i, reply, o));
    },
    ...(live ? { onText: (delta: string) => live.stream(delta), progress: async (note: Progress) => live.note(note) } : {}),
    ...(ack ? { openKeyForm: () => ack.openForm() } : {}),
  };
  try {
    await host.dispatcher.handle(inv);
  } finally {
    ack?.done();
  }
}

/** The parent channel of a thread, else nothing. */
function parentOf(channel: ChatInputCommandInteraction['channel']): string | undefined {
  return channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
}

/** Edits of a streaming answer: about one a second, Discord's comfortable pace for one message. */
export const STREAM_EDIT_MS = 1_000;

/**
 * The deferred reply shown filling in while a job runs: the streamed text (its start, within one
 * message) or a wait note, edited at most once per interval, latest state winning; the final
 * answer goes through the same gate, so a late intermediate edit can never overwrite it.
 */
function liveEdits(i: ChatInputCommandInteraction, intervalMs: number) {
  const gate = createUpdateGate(intervalMs);
  const since = performance.now();
  let streamed = '';
  let note = '';
  // The deferred reply already says Hive is thinking: an answer done within one interval is edited in once.
  const show = () =>
    performance.now() - since >= intervalMs &&
    gate.offer(async () => {
      const text =
        streamed === '' ? `-# ${note}…` : streamed.length > DISCORD_MESSAGE_MAX - 2 ? `${streamed.slice(0, DISCORD_MESSAGE_MAX - 2)} …` : `${streamed} …`;
      await i.editReply({ content: text, allowedMentions: NO_MENTIONS });
    });
  return {
    stream(delta: string) {
      streamed += delta;
      show();
    },
    note(p: Progress) {
      // A plan is visible enough as "thinking"; a long wait is worth saying.
      if (p.kind !== 'wait' || streamed !== '') return;
      note = p.text;
      show();
    },
    final: <T>(write: () => Promise<T>) => gate.final(write),
  };
}

/** How long a quick command may take before its reply is deferred (Discord's limit is 3 s). */
const QUICK_DEFER_MS = 1_500;

/**
 * The first response of a quick command, made when it is known: the reply itself (private), the
 * key form, or a private deferral when the command has not answered within 1.5 s.
 */
function lazyAck(i: ChatInputCommandInteraction) {
  let state: 'open' | 'deferred' | 'answered' = 'open';
  const timer = setTimeout(() => {
    if (state !== 'open') return;
    state = 'deferred';
    void i.deferReply({ flags: MessageFlags.Ephemeral }).catch(() => undefined);
  }, QUICK_DEFER_MS);
  return {
    /** Answers as the first response; false when the reply was deferred (the caller edits it in). */
    async answer(reply: Reply): Promise<boolean> {
      if (state === 'answered') return true; // the form was the response: nothing more can be sent
      if (state === 'deferred') return false;
      state = 'answered';
      clearTimeout(timer);
      const [first, ...rest] = renderDiscordReply(reply);
      await i.reply({ content: first!, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      for (const content of rest) await i.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return true;
    },
    async openForm(): Promise<void> {
      if (state !== 'open') throw new UserError('The form can only open right away: run `/hive keys` again.', 'form_late');
      clearTimeout(timer);
      await i.showModal(keyFormModal());
      // Only once it is open: a form that failed leaves the first response to the error reply.
      state = 'answered';
    },
    done: () => clearTimeout(timer),
  };
}

/** An interaction's token lasts 15 minutes; past 14, an answer goes to the channel instead. */
export const INTERACTION_TOKEN_MS = 14 * 60_000;
/** Discord's codes for an interaction token that has expired or is unknown. */
const EXPIRED_TOKEN_CODES = new Set([50027, 10015]);
const expired = (e: unknown) => e instanceof DiscordAPIError && EXPIRED_TOKEN_CODES.has(Number(e.code));

/** What delivering one reply needs: the defer's time, the clock, and what to do with the answer. */
interface DeliverOptions {
  deferredPrivately: boolean;
  openThread: boolean;
  deferredAt: number;
  now: () => number;
}

/** The reply into the deferred message, then follow-ups; a private reply to a public defer goes privately. */
async function deliver(i: ChatInputCommandInteraction, reply: Reply, o: DeliverOptions): Promise<void> {
  const privately = reply.visibility === 'private';
  const parts = renderDiscordReply(reply, { echoQuestion: !privately });
  if (privately && !o.deferredPrivately) {
    await i.deleteReply().catch(() => undefined);
    for (const content of parts) await i.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  let answer: Message | undefined;
  if (o.now() - o.deferredAt < INTERACTION_TOKEN_MS) {
    try {
      answer = await i.editReply({ content: parts[0]!, allowedMentions: NO_MENTIONS });
      for (const content of parts.slice(1))
        await i.followUp({ content, allowedMentions: NO_MENTIONS, ...(privately ? { flags: MessageFlags.Ephemeral } : {}) });
    } catch (e) {
      if (!expired(e)) throw e;
    }
  }
  // The token ran out (a long job): the answer is posted in the channel or thread, naming the asker (no ping).
  answer ??= await postLate(i, reply);
  if (answer && o.openThread && !privately && reply.tone !== 'error') {
    const name = (reply.question ?? 'Hive').replace(/\s+/g, ' ').trim().slice(0, THREAD_NAME_MAX) || 'Hive';
    await answer.startThread({ name, autoArchiveDuration: 1440 });
  }
}

async function postLate(i: ChatInputCommandInteraction, reply: Reply): Promise<Message | undefined> {
  const channel = await i.client.channels.fetch(i.channelId);
  if (!channel?.isSendable()) return undefined;
  const late: Reply = { ...reply, text: `<@${i.user.id}> ${reply.text}` };
  const [first] = await sendParts(channel, late, { echoQuestion: true });
  return first;
}
