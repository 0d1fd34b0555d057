import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Invocation, Reply } from '../../../src/chat/invocation.ts';
import { renderDiscordReply } from './render.ts';
import { slashText } from './slash-text.ts';

/** Every create and every edit says so: an edit re-parses mentions with the defaults otherwise. */
export const NO_MENTIONS = { parse: [] as [] };

/** Hive's workspace for a guild: its keys, budgets and settings are the guild's own. */
export const workspaceIdFor = (guildId: string) => `discord:${guildId}`;

/**
 * A slash command: deferred at once (Discord allows 3 s), run by the dispatcher, and answered by
 * editing the deferred reply; longer answers continue in follow-ups. Quick commands (`/hive …`)
 * defer privately, so their answers are seen by the requester only.
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
  const quick = host.commands.find(i.commandName)?.quick === true;
  await i.deferReply(quick ? { flags: MessageFlags.Ephemeral } : {});
  const inv: Invocation = {
    platform: 'discord',
    workspaceId: workspaceIdFor(i.guildId),
    channelId: i.channelId,
    userId: i.user.id,
    command: i.commandName,
    text: slashText(i),
    isAdmin: async () => host.config.adminUserIds.includes(i.user.id) || (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    respond: (reply) => deliver(i, reply, quick),
  };
  await host.dispatcher.handle(inv);
}

/** The reply into the deferred message, then follow-ups; a private reply to a public defer goes privately. */
async function deliver(i: ChatInputCommandInteraction, reply: Reply, deferredPrivately: boolean): Promise<void> {
  const parts = renderDiscordReply(reply);
  const privately = reply.visibility === 'private';
  if (privately && !deferredPrivately) {
    await i.deleteReply().catch(() => undefined);
    for (const content of parts) await i.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  await i.editReply({ content: parts[0]!, allowedMentions: NO_MENTIONS });
  for (const content of parts.slice(1)) await i.followUp({ content, allowedMentions: NO_MENTIONS, ...(privately ? { flags: MessageFlags.Ephemeral } : {}) });
}
