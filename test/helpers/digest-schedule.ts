import type { Hive } from '../../src/app/hive.ts';
import type { MessageTarget } from '../../src/chat/chat-adapter.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { createDigestScheduler, type DigestScheduler } from '../../src/digest/digest-scheduler.ts';

/** `HH:MM` of an instant in UTC, as digests show their sources' times. */
export function hhmmUtc(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}

/**
 * A digest scheduled a minute from now (UTC) and a scheduler whose clock runs two minutes ahead,
 * so the digest is due at its first tick and covers messages said just now.
 */
export function dueInAMinute(): { time: string; now: () => number } {
  return { time: hhmmUtc(Date.now() + 60_000), now: () => Date.now() + 120_000 };
}

/** A scheduler over one Hive that posts through `post` on `platform` only, starts unspread. */
export function schedulerOver(
  hive: Hive,
  platform: string,
  now: () => number,
  post: (target: MessageTarget, reply: Reply) => Promise<unknown>,
): DigestScheduler {
  return createDigestScheduler({
    ...hive.ctx.digests,
    post: async (_platform, target, reply) => {
      await post(target, reply);
      return true;
    },
    canPost: (p) => p === platform,
    log: hive.log,
    now,
    spreadMs: 0,
  });
}
