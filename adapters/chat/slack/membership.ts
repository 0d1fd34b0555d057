import type { webApi } from '@slack/bolt';
import { createAnswerCache } from '../../../src/chat/answer-cache.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Whether a user is in a Slack conversation, by Slack's own membership (private channels and DMs included). */
export interface MembershipCheck {
  isMember(client: webApi.WebClient, teamId: string, channelId: string, userId: string): Promise<boolean>;
}

export interface MembershipCheckOptions {
  log: Logger;
  /** How long an answer is reused: short, since people join and leave channels. */
  ttlMs?: number;
  now?: () => number;
}

/** Member lists are read a page at a time; a channel bigger than this many pages counts as "not a member". */
const MAX_PAGES = 20;
const PAGE = 1000;

/** A DM's other person per `conversations.info`, anyone else per `conversations.members`; any failure means "no". */
export function createMembershipCheck(o: MembershipCheckOptions): MembershipCheck {
  const cache = createAnswerCache<boolean>({ ttlMs: o.ttlMs ?? 60_000, ...(o.now ? { now: o.now } : {}) });
  return {
    async isMember(client, teamId, channelId, userId) {
      const key = `${teamId}:${channelId}:${userId}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const member = await lookUp(client, channelId, userId).catch((err: unknown) => {
        o.log.warn({ err, channelId, userId }, 'Slack membership lookup failed; treating the user as outside the conversation');
        return false;
      });
      cache.set(key, member);
      return member;
    },
  };
}

async function lookUp(client: webApi.WebClient, channelId: string, userId: string): Promise<boolean> {
  const info = await client.conversations.info({ channel: channelId });
  // A DM's one person is named in the channel object, a field the SDK's types leave out.
  const channel = info.channel as { is_im?: boolean; user?: string } | undefined;
  if (channel?.is_im) return channel.user === userId;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.conversations.members({ channel: channelId, limit: PAGE, ...(cursor ? { cursor } : {}) });
    if (res.members?.includes(userId)) return true;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return false;
  }
  return false;
}
