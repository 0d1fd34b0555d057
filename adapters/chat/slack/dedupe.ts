import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { claimWithin, createDeliveryClaims } from '../../../src/chat/delivery-claims.ts';
import type { AtomicOps } from '../../../src/store/atomic.ts';
import type { SlackDeps } from './deps.ts';
import { MAX_SKEW_S } from './request-intake.ts';

/** Claims live past Slack's last retry (about 5 minutes after the first delivery) with a wide margin. */
export const EVENT_CLAIM_TTL_MS = 60 * 60 * 1000;

/**
 * A signed request is accepted from 5 minutes before its stamp to 5 minutes after, so a replay can
 * arrive up to 10 minutes after the first copy; 15 minutes also covers clock skew between replicas.
 */
export const REQUEST_CLAIM_TTL_MS = (2 * MAX_SKEW_S + 5 * 60) * 1000;

/**
 * Global middleware that claims, atomically in the store and before any work, `slack:event:<event_id>`
 * for Events API deliveries and `slack:trigger:<trigger_id>` for commands and interactions, so a
 * retried or replayed delivery (over HTTP or Socket Mode), or the same one on another replica, is
 * acknowledged and does nothing.
 */
export function createDeliveryDedupe(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  const claims = createDeliveryClaims(deps.host.store.atomic, 'slack', {
    onUnclaimed: (claim, err) => deps.log.warn({ err, claim }, 'duplicate check unavailable; delivery handled unchecked'),
  });
  return async (args) => {
    const { body, context, next } = args;
    const delivery = deliveryOf(body);
    if (delivery !== undefined) {
      const ttl = delivery.kind === 'event' ? EVENT_CLAIM_TTL_MS : REQUEST_CLAIM_TTL_MS;
      if (!(await claims.claim(delivery.kind, delivery.id, ttl))) {
        const claim = claims.keyOf(delivery.kind, delivery.id);
        deps.log.info({ claim, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate Slack delivery skipped');
        const ack = (args as { ack?: unknown }).ack;
        if (typeof ack === 'function') await (ack as () => Promise<void>)();
        return;
      }
    }
    await next();
  };
}

/**
 * Claims a signed HTTP request by a digest of its stamp and exact bytes: true only the first time
 * within the signature window, so an identical replay is answered 200 and never reaches Bolt.
 */
export function claimSignedRequest(
  atomic: Pick<AtomicOps, 'claim'>,
  timestamp: string,
  raw: Buffer,
  onUnclaimed?: (key: string, err: unknown) => void,
): Promise<boolean> {
  const digest = createHash('sha256').update(`${timestamp}:`).update(raw).digest('hex');
  return claimWithin(atomic, `slack:request:${digest}`, REQUEST_CLAIM_TTL_MS, onUnclaimed ? { onUnclaimed } : {});
}

/** What identifies a delivery: its event id (Events API) or trigger id (commands, interactions). */
function deliveryOf(body: unknown): { kind: 'event' | 'trigger'; id: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { type?: unknown; event_id?: unknown; trigger_id?: unknown };
  if (b.type === 'event_callback') return typeof b.event_id === 'string' ? { kind: 'event', id: b.event_id } : undefined;
  return typeof b.trigger_id === 'string' && b.trigger_id !== '' ? { kind: 'trigger', id: b.trigger_id } : undefined;
}
