import type { HiveContext } from '../src/command/command.ts';
import type { Invocation } from '../src/chat/invocation.ts';
import { requireAdmin } from './admin.ts';

/** Admins always; any member of the channel when the workspace allows it (`/digest who members`). */
export async function requireDigestRight(inv: Invocation, ctx: HiveContext, what: string): Promise<void> {
  if ((await ctx.settings.get(inv.workspaceId)).digestWho === 'members') return;
  await requireAdmin(inv, `${what} (an admin can let every member do it: /digest who members)`);
}
