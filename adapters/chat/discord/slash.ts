import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Invocation, Reply } from '../../../src/chat/invocation.ts';
import type { ChatMessage } from '../../../src/shared/provider-spec.ts';
import type { ThreadContext } from '../../../src/chat/thread-context.ts';
import { isHiveThread } from './thread.ts';
import { renderDiscordReply } from './render.ts';
import { slashText } from './slash-text.ts';
import { NO_MENTIONS, workspaceIdFor } from './conventions.ts';
import { keyFormModal } from './key-form.ts';
import { UserError } from '../../../src/shared/errors.ts';
import { STREAM_EDIT_MS } from './deliver.ts';
import { answerSide, discordAddressCodec, discordInvocation, type DiscordJobAddress, type DiscordRequest } from './job-address.ts';
import type { DiscordMembership } from './membership.ts';
import { noThreadLog } from './conventions.ts';

/**
 * A slash command: deferred at once (Discord allows 3 s), run by the dispatcher (or queued for a
 * worker, with the address it answers at), and answered by editing the deferred reply; longer
 * answers continue in follow-ups. Quick commands (`/hive …`) defer privately. A conversational
 * answer in a channel opens a public thread from itself for follow-ups; in one of Hive's threads
 * it is answered in place, with the thread as context.
 */
export async function runSlash(
  host: ChatHost,
  i: ChatInputCommandInteraction,
  membership: DiscordMembership,
  threads: ThreadContext,
  now: () => number = Date.now,
  streamEditMs = STREAM_EDIT_MS,
): Promise<void> {
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
  const address = addressOf(host, i, i.guildId, now(), quick);
  const jobId = `discord:interaction:${i.id}`;
  const side = answerSide(i.client.rest, address, { jobId, now, streamEditMs, noThread: noThreadLog(host, address) });
  const botId = i.client.user.id;
  const thread = isHiveThread(i.channel, botId) ? i.channel : undefined;
  const ref = thread && { scope: i.guildId, channelId: thread.parentId ?? thread.id, threadId: thread.id };
  const context: ChatMessage[] = ref && traits?.conversational ? ((await threads.forThread(ref)) ?? []) : [];
  const guildId = i.guildId;
  const inv: Invocation = {
    ...discordInvocation(requestOf(i, i.guildId, context), address, side),
    respond: async (reply) => {
      if (ack && (await ack.answer(reply))) return;
      await side.respond(reply);
    },
    ...(ack ? { openKeyForm: () => ack.openForm() } : {}),
    canRead: async (where) => membership.canRead(i.guild ?? (await i.client.guilds.fetch(guildId)), where.threadId ?? where.channelId, i.user.id),
    queue: () => ({ id: jobId, ...discordAddressCodec.encode(address) }),
  };
  try {
    await host.dispatcher.handle(inv);
  } finally {
    ack?.done();
  }
}

/** Everything answering this interaction needs, as plain data (for a worker, if it is queued). */
function addressOf(host: ChatHost, i: ChatInputCommandInteraction, guildId: string, deferredAt: number, quick: boolean): DiscordJobAddress {
  const conversational = host.commands.find(i.commandName)?.conversational === true;
  return {
    kind: 'slash',
    guildId,
    channelId: i.channelId,
    userId: i.user.id,
    admin: host.config.adminUserIds.includes(i.user.id) || (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    interaction: {
      applicationId: i.applicationId,
      token: i.token,
      deferredAt,
      privately: quick,
      openThread: conversational && !i.channel?.isThread(),
      threadable: !i.channel?.isThread(),
    },
  };
}

/** The request as the core sees it: a thread (Hive's or any other) belongs to its parent channel, whose budgets, lanes and digests apply. */
function requestOf(i: ChatInputCommandInteraction, guildId: string, context: ChatMessage[]): DiscordRequest {
  return {
    workspaceId: workspaceIdFor(guildId),
    channelId: parentOf(i.channel) ?? i.channelId,
    ...(i.channel?.isThread() ? { threadId: i.channel.id } : {}),
    userId: i.user.id,
    command: i.commandName,
    text: slashText(i),
    ...(context.length > 0 ? { context } : {}),
  };
}

/** The parent channel of a thread, else nothing. */
function parentOf(channel: ChatInputCommandInteraction['channel']): string | undefined {
  return channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
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
