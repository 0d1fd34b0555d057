import type { webApi } from '@slack/bolt';
import { createAnswerCache } from '../../../src/chat/answer-cache.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Slack has no per-command permissions, so admin rights are checked on the server for each use. */
export interface AdminCheck {
  isAdmin(client: webApi.WebClient, teamId: string, userId: string): Promise<boolean>;
}

export interface AdminCheckOptions {
  /** User ids from `HIVE_ADMIN_USER_IDS`, admins in every workspace. */
  adminUserIds: readonly string[];
  log: Logger;
  /** How long a `users.info` answer is reused (opening the modal then submitting it asks twice). */
  ttlMs?: number;
  now?: () => number;
}

/** Workspace admins and owners per `users.info`, or configured ids; any failure means "no". */
export function createAdminCheck(o: AdminCheckOptions): AdminCheck {
  const cache = createAnswerCache<boolean>({ ttlMs: o.ttlMs ?? 60_000, ...(o.now ? { now: o.now } : {}) });
  return {
    async isAdmin(client, teamId, userId) {
      if (o.adminUserIds.includes(userId)) return true;
      const key = `${teamId}:${userId}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const admin = await lookUp(client, userId, o.log);
      cache.set(key, admin);
      return admin;
    },
  };
}

async function lookUp(client: webApi.WebClient, userId: string, log: Logger): Promise<boolean> {
  try {
    const res = await client.users.info({ user: userId });
    const u = res.user;
    return Boolean(u && (u.is_admin || u.is_owner || u.is_primary_owner));
  } catch (err) {
    log.warn({ err, userId }, 'users.info failed; treating the user as a non-admin');
    return false;
  }
}
