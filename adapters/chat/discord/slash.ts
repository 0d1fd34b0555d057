import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Invocation, Reply } from '../../../src/chat/invocation.ts';
import type { ChatMessage } from '../../../src/types.ts';
import { threadHistory } from './history.ts';
import { renderDiscordReply } from './render.ts';
import { slashText } from './slash-text.ts';

/** Every create and every edit says so: an edit re-parses mentions with the defaults otherwise. */
export const NO_MENTIONS = { parse: [] as [] };

/** Hive's workspace for a guild: its keys, budgets and settings are the guild's own. */
export const workspaceIdFor = (guildId: string) => `discord:${guildId}`;

/** Discord's limit for a thread's name. */
const THREAD_NAME_MAX = 100;

/**
 * A slash command: deferred at once (Discord allows 3 s), run by the dispatcher, and answered by
 * editing the deferred reply; longer answers continue in follow-ups. Quick commands (`/hive …`)
 * defer privately. A conversational answer in a channel opens a public thread from itself for
 * follow-ups; in one of Hive's threads it is answered in place, with the thread as context.
 */
export async function runSlash(host: ChatHost, i: ChatInputCommandInteraction): Promise<void> {
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
  await i.deferReply(quick ? { flags: MessageFlags.Ephemeral } : {});
  const botId = i.client.user.id;
  const thread = i.channel?.isThread() && i.channel.ownerId === botId ? i.channel : undefined;
  const context: ChatMessage[] = thread && traits?.conversational ? await threadHistory(thread, botId, '') : [];
  const inv: Invocation = {
    platform: 'discord',
    workspaceId: workspaceIdFor(i.guildId),
    channelId: thread?.parentId ?? i.channelId,
    ...(thread ? { threadId: thread.id } : {}),
    userId: i.user.id,
    command: i.commandName,
    text: slashText(i),
    ...(context.length > 0 ? { context } : {}),
    isAdmin: async () => host.config.adminUserIds.includes(i.user.id) || (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    respond: (reply) => deliver(i, reply, { deferredPrivately: quick, openThread: traits?.conversational === true && !thread && !i.channel?.isThread() }),
  };
  await host.dispatcher.handle(inv);
}

/** The reply into the deferred message, then follow-ups; a private reply to a public defer goes privately. */
async function deliver(i: ChatInputCommandInteraction, reply: Reply, o: { deferredPrivately: boolean; openThread: boolean }): Promise<void> {
  const privately = reply.visibility === 'private';
  const parts = renderDiscordReply(reply, { echoQuestion: !privately });
  if (privately && !o.deferredPrivately) {
    await i.deleteReply().catch(() => undefined);
    for (const content of parts) await i.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  const answer = await i.editReply({ content: parts[0]!, allowedMentions: NO_MENTIONS });
  for (const content of parts.slice(1)) await i.followUp({ content, allowedMentions: NO_MENTIONS, ...(privately ? { flags: MessageFlags.Ephemeral } : {}) });
  if (o.openThread && !privately && reply.tone !== 'error') {
    const name = (reply.question ?? 'Hive').replace(/\s+/g, ' ').trim().slice(0, THREAD_NAME_MAX) || 'Hive';
    await answer.startThread({ name, autoArchiveDuration: 1440 });
  }
}
