import { ChannelType, PermissionFlagsBits, type Guild } from 'discord.js';
import { createAnswerCache } from '../../../src/chat/answer-cache.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Whether a member of a server can see one of its channels or threads, by Discord's own permissions. */
export interface DiscordMembership {
  canRead(guild: Guild, channelId: string, userId: string): Promise<boolean>;
}

export interface DiscordMembershipOptions {
  log: Logger;
  /** How long an answer is reused: short, since roles and channel permissions change. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * View Channel as Discord computes it (roles, then the channel's overwrites; a thread's come from
 * its parent), for the member as REST reports them now (Hive has no member intent, so no cached
 * roles are trusted); a private thread also needs its membership or Manage Threads. Any failure
 * (a member who left, a channel deleted) means "no".
 */
export function createDiscordMembership(o: DiscordMembershipOptions): DiscordMembership {
  const cache = createAnswerCache<boolean>({ ttlMs: o.ttlMs ?? 60_000, ...(o.now ? { now: o.now } : {}) });
  return {
    async canRead(guild, channelId, userId) {
      const key = `${guild.id}:${channelId}:${userId}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const can = await lookUp(guild, channelId, userId).catch((err: unknown) => {
        o.log.debug({ err, channelId, userId }, 'Discord permission lookup failed; treating the channel as hidden from the user');
        return false;
      });
      cache.set(key, can);
      return can;
    },
  };
}

async function lookUp(guild: Guild, channelId: string, userId: string): Promise<boolean> {
  const channel = await guild.channels.fetch(channelId);
  if (!channel) return false;
  const member = await guild.members.fetch({ user: userId, force: true });
  const perms = channel.permissionsFor(member);
  if (!perms.has(PermissionFlagsBits.ViewChannel)) return false;
  if (channel.type !== ChannelType.PrivateThread || perms.has(PermissionFlagsBits.ManageThreads)) return true;
  return channel.members.fetch({ member: userId, force: true }).then(
    () => true,
    () => false,
  );
}
