import { PermissionFlagsBits, type Client, type Message, type ThreadChannel } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { ThreadContext } from '../../../src/chat/thread-context.ts';
import { stripMention } from './history.ts';
import { workspaceIdFor } from './conventions.ts';
import { answerSide, discordAddressCodec, discordInvocation, type DiscordJobAddress } from './job-address.ts';
import type { AttachmentReader } from '../../../src/shared/attachment.ts';
import { earlierThreadFiles, messageFiles, withFiles } from './file-refs.ts';
import { filesInThread } from './thread-files.ts';

/** A thread Hive started (from one of its answers): every human message in it is a question. */
export const isHiveThread = (channel: unknown, botId: string | undefined): channel is ThreadChannel =>
  typeof channel === 'object' &&
  channel !== null &&
  'isThread' in channel &&
  (channel as ThreadChannel).isThread() &&
  (channel as ThreadChannel).ownerId === botId;

/**
 * A message in one of Hive's threads: answered in the thread (here, or by a worker it is queued
 * for), with the thread's history (read from Discord, chosen by the core's thread context) as
 * context, "typing…" shown meanwhile.
 * Bots, Hive itself and empty messages are ignored.
 */
export async function runThreadMessage(
  host: ChatHost,
  client: Client,
  m: Message,
  d: { threads: ThreadContext; readAttachment: AttachmentReader },
): Promise<void> {
  const { threads } = d;
  const botId = client.user?.id;
  if (!botId || m.author.bot || !m.inGuild() || !isHiveThread(m.channel, botId)) return;
  const thread = m.channel;
  const text = stripMention(m.content, botId);
  if (text === '') return;
  // A server may want Hive to answer in its threads only when mentioned (`/hive threads mentions`).
  if (!m.mentions.users.has(botId) && (await host.threadReplies(workspaceIdFor(m.guildId), thread.parentId ?? thread.id)) === 'mentions') return;
  const address: DiscordJobAddress = {
    kind: 'thread',
    guildId: m.guildId,
    channelId: thread.id,
    userId: m.author.id,
    admin: host.config.adminUserIds.includes(m.author.id) || (m.member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false),
  };
  const jobId = `discord:message:${m.id}`;
  const side = answerSide(client.rest, address, { jobId });
  const ref = { scope: m.guildId, channelId: thread.parentId ?? thread.id, threadId: thread.id };
  try {
    const request = {
      workspaceId: workspaceIdFor(m.guildId),
      channelId: thread.parentId ?? thread.id,
      threadId: thread.id,
      userId: m.author.id,
      command: 'ask',
      text,
      context: (await threads.forThread(ref, { messageId: m.id })) ?? [],
    };
    // The thread's read above left its messages in discord.js's cache: their files are the earlier turns'.
    const files = await filesInThread(threads, ref, messageFiles(m), earlierThreadFiles(thread.messages.cache.values(), m.id));
    await host.dispatcher.handle({
      ...discordInvocation(request, address, side),
      ...withFiles(files, d.readAttachment),
      queue: () => ({ id: jobId, ...discordAddressCodec.encode(address) }),
    });
  } finally {
    side.done();
  }
}
