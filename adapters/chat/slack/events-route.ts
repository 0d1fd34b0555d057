import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthorizationError, type ReceiverEvent } from '@slack/bolt';
import type { Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';
import type { AtomicOps } from '../../../src/store/atomic.ts';
import { checkSlackBody, teamIdOf, type SlackBodyKind } from './body-shape.ts';
import { claimSignedRequest } from './dedupe.ts';
import { intakeSlackRequest, refuse, type VerifiedRequest } from './request-intake.ts';
import { createResponseAck, retryOf, sendChallenge, sendContent } from './response-ack.ts';

export interface EventsRouteOptions {
  signingSecret: string;
  log: Logger;
  /** Wall clock for signature stamps and the unacknowledged-request timer (Slack's time, not a test's). */
  clock: Clock;
  /** Where replayed requests are claimed (the store's atomic operations). */
  atomic: Pick<AtomicOps, 'claim'>;
  /** Body size limit in bytes (default: SLACK_BODY_LIMIT_BYTES). */
  bodyLimit?: number;
  /** Bolt's entry for a verified request: `app.processEvent`. */
  processEvent(event: ReceiverEvent): Promise<void>;
  /** Told of each request whose signature checked out, so its connection no longer counts as unverified. */
  onVerified(req: IncomingMessage): void;
}

type Later = (fn: () => void) => void;

/**
 * POST /slack/events: bounded read and signature check, then Bolt. Slash commands and Events API
 * deliveries are acked (200, empty) as soon as they check out, and handed to Bolt one per
 * event-loop turn: in a burst, every ack goes out without waiting behind the listener and job work
 * of the requests before it. Interactivity (modals) is acked by its listener, since its response
 * body matters; one no listener acks gets an empty 200 as soon as the listeners are done. A client
 * can only ever get a 2xx or 4xx; a 5xx means a fault on our side.
 */
export function createEventsRoute(o: EventsRouteOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const later = createTurnQueue();
  return (req, res) => {
    handle(o, later, req, res).catch((err: unknown) => {
      o.log.error({ err }, 'Slack request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}

/** Runs deferred work one item per event-loop turn, so new requests are acked between the items of a burst. */
function createTurnQueue(): Later {
  const queue: (() => void)[] = [];
  let scheduled = false;
  const pump = () => {
    try {
      queue.shift()?.();
    } finally {
      scheduled = queue.length > 0;
      if (scheduled) setImmediate(pump);
    }
  };
  return (fn) => {
    queue.push(fn);
    if (!scheduled) {
      scheduled = true;
      setImmediate(pump);
    }
  };
}

async function handle(o: EventsRouteOptions, later: Later, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const verified = await intakeSlackRequest({ ...o, now: () => o.clock.now() }, req, res);
  if (!verified) return;
  o.onVerified(req);
  const { body } = verified;
  if (body.type === 'url_verification') {
    if (typeof body.challenge !== 'string') return void refuse(o.log, res, 400, 'url_verification without a challenge', false);
    return sendChallenge(res, body.challenge);
  }
  if (body.type === 'app_rate_limited') {
    o.log.warn({ teamId: body.team_id, minute: body.minute_rate_limited }, 'Slack rate-limited event deliveries to this app');
    return sendContent(res, undefined);
  }
  const shape = checkSlackBody(body);
  if (!shape.ok) return void refuse(o.log, res, 400, shape.reason, false);
  // Commands and events are acked before any store is asked: Slack's 3 s hold whatever Redis does.
  const fastAck = shape.kind === 'command' || shape.kind === 'event';
  if (fastAck) sendContent(res, undefined);
  const onUnclaimed = (_key: string, err: unknown) =>
    o.log.warn({ err, kind: shape.kind, teamId: shape.teamId }, 'replay check unavailable; request handled unchecked');
  if (!(await claimSignedRequest(o.atomic, verified.timestamp, verified.raw, onUnclaimed))) {
    o.log.info({ kind: shape.kind, teamId: shape.teamId }, 'replayed Slack request skipped');
    return sendContent(res, undefined);
  }
  const event = { body, ...retryOf(req.headers), customProperties: {} };
  if (fastAck)
    return later(() => void o.processEvent({ ...event, ack: async () => undefined }).catch((err: unknown) => o.log.error({ err }, 'Slack listener failed')));
  await interact(o, res, verified, shape.kind, event);
}

/** An interaction: its listener's ack answers the request; none acking, an empty 200 once the listeners are done. */
async function interact(o: EventsRouteOptions, res: ServerResponse, v: VerifiedRequest, kind: SlackBodyKind, event: Omit<ReceiverEvent, 'ack'>): Promise<void> {
  const ack = createResponseAck(res, o);
  try {
    await o.processEvent({ ...event, ack: ack.ack });
    // Bolt waits for every listener; none acked, so none handles this (a button, shortcut or modal
    // that is not Hive's). Answer now instead of Slack's user seeing a 404 three seconds later.
    if (!ack.acked() && !res.headersSent) {
      ack.settle();
      sendContent(res, undefined);
      o.log.debug({ interaction: v.body.type, teamId: teamIdOf(v.body, kind) }, 'Slack interaction with no listener acked with an empty 200');
    }
  } catch (err) {
    ack.settle();
    if (res.headersSent) return void o.log.error({ err }, 'Slack listener failed after its request was acked');
    o.log.error({ err }, 'Slack listener failed');
    res.writeHead(err instanceof AuthorizationError ? 401 : 500).end();
  }
}
