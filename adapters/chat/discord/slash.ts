import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type Message } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Invocation } from '../../../src/chat/invocation.ts';
import type { ChatMessage } from '../../../src/shared/provider-spec.ts';
import type { ThreadContext } from '../../../src/chat/thread-context.ts';
import { isHiveThread } from './thread.ts';
import { slashText } from './slash-text.ts';
import { NO_MENTIONS, workspaceIdFor } from './conventions.ts';
import { firstResponse } from './first-response.ts';
import { STREAM_EDIT_MS } from './deliver.ts';
import { answerSide, discordAddressCodec, discordInvocation, type DiscordJobAddress, type DiscordRequest } from './job-address.ts';
import type { DiscordMembership } from './membership.ts';
import { noThreadLog } from './conventions.ts';
import type { AttachmentReader, AttachmentRef } from '../../../src/shared/attachment.ts';
import type { ThreadRef, Transcripts } from '../../../src/chat/transcripts.ts';
import { discordFileRefs, type DiscordAttachmentLike } from './files.ts';
import { earlierThreadFiles, withFiles } from './file-refs.ts';
import { filesInThread, keepRootFiles } from './thread-files.ts';
import { sendReplyImage } from './reply-image.ts';

/**
 * A slash command: run by the dispatcher (or queued for a worker, with the address it answers at);
 * a refusal made at once is its private first response, a job still running is deferred (see
 * first-response.ts, within Discord's 3 s) and answered by editing the deferred reply, longer
 * answers going on in a thread. Quick commands (`/hive …`) defer privately. A conversational
 * answer in a channel opens a public thread from itself for follow-ups; in one of Hive's threads
 * it is answered in place, with the thread as context.
 */
export async function runSlash(host: ChatHost, i: ChatInputCommandInteraction, d: SlashDeps): Promise<void> {
  const { membership, threads, now = Date.now, streamEditMs = STREAM_EDIT_MS, receivedAt = now() } = d;
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
  // Nothing public before it is known that a job runs: a quick refusal is the private first response.
  const ack = firstResponse(i, { quick, receivedAt, now });
  const address = addressOf(host, i, i.guildId, receivedAt, quick);
  const jobId = `discord:interaction:${i.id}`;
  const botId = i.client.user.id;
  const thread = isHiveThread(i.channel, botId) ? i.channel : undefined;
  const ref = thread && { scope: i.guildId, channelId: thread.parentId ?? thread.id, threadId: thread.id };
  const context: ChatMessage[] = ref && traits?.conversational ? ((await threads.forThread(ref)) ?? []) : [];
  const files = await filesOf(i, d, ref && traits?.conversational ? { ref, cached: context.length > 0 ? thread.messages.cache.values() : [] } : undefined);
  const asked = { guildId: i.guildId, channelId: i.channelId, command: i.commandName, text: slashText(i), files };
  const onThread = keepRootFiles(host, d.transcripts, asked);
  const side = answerSide(i.client.rest, address, {
    jobId,
    now,
    streamEditMs,
    noThread: noThreadLog(host, address),
    beforeReply: ack.deferred,
    ...(onThread ? { onThread } : {}),
  });
  const guildId = i.guildId;
  const inv: Invocation = {
    ...discordInvocation(requestOf(i, i.guildId, context), address, side),
    ...withFiles(files, d.readAttachment),
    respond: async (reply) => {
      if (!(await ack.answer(reply))) await side.respond(reply);
      await sendReplyImage(i.client.rest, i, reply, host.log);
    },
    ...(quick ? { openKeyForm: () => ack.openForm() } : {}),
    canRead: async (where) => membership.canRead(i.guild ?? (await i.client.guilds.fetch(guildId)), where.threadId ?? where.channelId, i.user.id),
    queue: () => {
      // A worker answers through the interaction's token: the reply is deferred as the job is queued.
      ack.deferred().catch((err: unknown) => host.log.warn({ err }, 'could not defer a queued Discord command'));
      return { id: jobId, ...discordAddressCodec.encode(address) };
    },
  };
  try {
    await host.dispatcher.handle(inv);
  } finally {
    ack.done();
  }
}

/** What a slash command is answered with besides the interaction: the adapter's parts and timings. */
export interface SlashDeps {
  membership: DiscordMembership;
  threads: ThreadContext;
  /** Where the files of a channel command are kept for the thread its answer opens. */
  transcripts: Transcripts;
  /** Reads the command's file (its `file` option) from Discord's CDN. */
  readAttachment: AttachmentReader;
  now?: (() => number) | undefined;
  streamEditMs?: number | undefined;
  receivedAt?: number;
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

/**
 * The command's own file and, in one of Hive's threads, the thread's earlier ones: those it was
 * opened with and those its messages carried (the context read left them in discord.js's cache).
 */
async function filesOf(i: ChatInputCommandInteraction, d: SlashDeps, inThread?: { ref: ThreadRef; cached: Iterable<Message> }): Promise<AttachmentRef[]> {
  const own = discordFileRefs(fileOptions(i));
  return inThread ? filesInThread(d.threads, inThread.ref, own, earlierThreadFiles(inThread.cached, i.id)) : own;
}

/** The command's attached file (`file`), as Discord resolved it. */
function fileOptions(i: ChatInputCommandInteraction): DiscordAttachmentLike[] {
  const file = i.options.getAttachment('file');
  return file ? [file] : [];
}

/** The parent channel of a thread, else nothing. */
function parentOf(channel: ChatInputCommandInteraction['channel']): string | undefined {
  return channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
}
