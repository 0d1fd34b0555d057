import type { Command, HiveContext } from './command.ts';
import { shown } from './args.ts';
import { UserError } from '../errors.ts';
import { newErrorId } from '../evidence/ids.ts';
import type { Invocation, Reply } from './invocation.ts';

/** Routes invocations to commands and turns every failure into a reply; adapters call only this. */
export interface Dispatcher {
  handle(inv: Invocation): Promise<void>;
  /** Completes when every invocation in flight has replied. */
  drain(): Promise<void>;
}

export function createDispatcher(commands: readonly Command[], ctx: HiveContext): Dispatcher {
  const byName = new Map(commands.map((c) => [c.name, c]));
  const inFlight = new Set<Promise<void>>();
  const handleOne = async (inv: Invocation) => {
    const reply = await runSafely(byName, inv, ctx);
    try {
      await inv.respond(reply);
    } catch (err) {
      ctx.log.error({ err, platform: inv.platform, workspaceId: inv.workspaceId }, 'could not deliver a reply');
    }
  };
  return {
    handle(inv) {
      const p = handleOne(inv).finally(() => inFlight.delete(p));
      inFlight.add(p);
      return p;
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

async function runSafely(byName: Map<string, Command>, inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const command = byName.get(inv.command);
  if (!command) {
    const names = [...byName.keys()].map((n) => `/${n}`).join(', ');
    return { text: `Unknown command ${shown(`/${inv.command}`)}. Available: ${names}.`, visibility: 'private', tone: 'error' };
  }
  const log = ctx.log.child({ command: inv.command, platform: inv.platform, workspaceId: inv.workspaceId, channelId: inv.channelId, userId: inv.userId });
  try {
    return await command.run(inv, { ...ctx, log });
  } catch (err) {
    if (err instanceof UserError) {
      // The user reads the refusal; operators rarely need it (and at a terminal it would show twice).
      log.debug({ code: err.code }, 'refused with a user error');
      return { text: err.message, visibility: 'private', tone: 'error' };
    }
    const errorId = newErrorId();
    log.error({ err, errorId }, 'command failed');
    return {
      text: `Something went wrong on our side (error ${errorId}). An admin can find the details in the logs.`,
      visibility: 'private',
      tone: 'error',
      errorId,
    };
  }
}
