import type { HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import { UserError } from '../src/shared/errors.ts';
import { requireAdmin } from './admin.ts';

/**
 * `/hive usage link`: a signed link to the workspace's spend page, for admins only (it names
 * people and channels) and sent privately, since whoever holds it can open the page until it expires.
 */
export async function usageLinkReply(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  await requireAdmin(inv, "open the workspace's spend page");
  if (!ctx.spendLink) throw new UserError('The spend page is off on this install: the operator sets HIVE_PUBLIC_URL to turn pages on.', 'pages_off');
  const url = ctx.spendLink(inv.workspaceId);
  return {
    text: `*Spend page* (this month; pick another period on the page): ${url}\nAnyone with this link can open the page until it expires: do not share it.`,
    visibility: 'private',
  };
}
