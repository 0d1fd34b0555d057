import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from './deps.ts';

/** Claims live past Slack's last retry (about 5 minutes after the first delivery) with a wide margin. */
export const EVENT_CLAIM_TTL_MS = 60 * 60 * 1000;

/**
 * Global middleware that claims `slack:event:<event_id>` atomically in the store before any work,
 * so a retried delivery (`X-Slack-Retry-Num`), or the same event on another replica, does nothing.
 */
export function createEventDedupe(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const id = eventIdOf(body);
    if (id !== undefined) {
      const first = await deps.hive.store.atomic.claim(`slack:event:${id}`, EVENT_CLAIM_TTL_MS);
      if (!first) {
        deps.log.info({ eventId: id, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate Slack event skipped');
        return;
      }
    }
    await next();
  };
}

function eventIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { type?: unknown; event_id?: unknown };
  return b.type === 'event_callback' && typeof b.event_id === 'string' ? b.event_id : undefined;
}
