import { MessageFlags, PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import { decodeAction, pressedCommand } from '../../../src/chat/answer-actions.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { NO_MENTIONS, NOT_OURS, workspaceIdFor } from './conventions.ts';
import { answerSide, discordAddressCodec, discordInvocation, type DiscordJobAddress } from './job-address.ts';
import type { DiscordMembership } from './membership.ts';
import type { AttachmentReader } from '../../../src/shared/attachment.ts';

/**
 * A button on one of Hive's messages: acknowledged at once without changing the message (Discord
 * allows 3 s), then run as an invocation of the action's verb by the presser, where the answer is;
 * a public answer (a re-run) is a new message there (a live placeholder with Cancel while it runs),
 * a private one (a refusal, "Cancelling…", a vote) reaches only the presser. The core checks who may press what and claims each action once.
 */
export async function runPress(
  host: ChatHost,
  i: ButtonInteraction,
  membership: DiscordMembership,
  now: () => number = Date.now,
  streamEditMs?: number,
  readAttachment?: AttachmentReader,
): Promise<void> {
  const offer = decodeAction(i.customId);
  if (!offer || !i.guildId) {
    await i.reply({ content: NOT_OURS, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  await i.deferUpdate();
  const { command, text } = pressedCommand(offer);
  const guildId = i.guildId;
  const address = addressOf(host, i, guildId, now());
  const jobId = `discord:interaction:${i.id}`;
  const side = answerSide(i.client.rest, address, { jobId, ...(streamEditMs !== undefined ? { streamEditMs } : {}) });
  // A thread belongs to its parent channel (its budgets and lanes), as for slash commands.
  const parent = i.channel?.isThread() ? (i.channel.parentId ?? i.channelId) : i.channelId;
  const request = {
    workspaceId: workspaceIdFor(guildId),
    channelId: parent,
    ...(address.channelId !== parent ? { threadId: address.channelId } : {}),
    userId: i.user.id,
    command,
    text,
  };
  try {
    await host.dispatcher.handle({
      ...discordInvocation(request, address, side),
      // A re-run pressed here reads its answer's files again from Discord's CDN.
      ...(readAttachment ? { readAttachment } : {}),
      canRead: async (where) => membership.canRead(i.guild ?? (await i.client.guilds.fetch(guildId)), where.threadId ?? where.channelId, i.user.id),
      queue: () => ({ id: jobId, ...discordAddressCodec.encode(address) }),
    });
  } finally {
    side.done();
  }
}

/** Where a press is answered: the thread opened from the answer if it has one, else the answer's own channel or thread. */
function addressOf(host: ChatHost, i: ButtonInteraction, guildId: string, deferredAt: number): DiscordJobAddress {
  const thread = i.message.thread?.id ?? (i.message.hasThread ? i.message.id : undefined);
  return {
    kind: 'press',
    guildId,
    channelId: thread ?? i.channelId,
    userId: i.user.id,
    admin: host.config.adminUserIds.includes(i.user.id) || (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    interaction: { applicationId: i.applicationId, token: i.token, deferredAt, privately: true, openThread: false },
  };
}
