import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { isRecord } from './body-parse.ts';
import { checkSlackBody } from './body-shape.ts';
import type { SlackDeps } from './deps.ts';

/**
 * Global middleware, first in the chain: a body that is malformed or carries no team id is
 * acknowledged, logged with a short reason and dropped, so nothing ever runs under a workspace id
 * like `slack:undefined`. HTTP requests were already refused with 400 before Bolt; this also covers
 * Socket Mode, where bodies reach Bolt directly.
 */
export function createTeamGuard(deps: Pick<SlackDeps, 'log'>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const shape = isRecord(args.body) ? checkSlackBody(args.body) : { ok: false as const, reason: 'body is not an object' };
    if (!shape.ok) {
      deps.log.warn({ reason: shape.reason }, 'Slack request refused');
      const ack = (args as { ack?: unknown }).ack;
      if (typeof ack === 'function') await (ack as () => Promise<void>)();
      return;
    }
    await args.next();
  };
}
