import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HTTPModuleFunctions as http,
  HTTPResponseAck,
  type App,
  type BufferedIncomingMessage,
  type Logger as BoltLogger,
  type ReceiverEvent,
} from '@slack/bolt';
import type { AtomicOps } from '../../../src/store/atomic.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { checkSlackBody, teamIdOf, type SlackBodyKind } from './body-shape.ts';
import { claimSignedRequest } from './dedupe.ts';
import { intakeSlackRequest, refuse, type VerifiedRequest } from './request-intake.ts';

export interface EventsEndpointOptions {
  app: App;
  signingSecret: string;
  boltLogger: BoltLogger;
  log: Logger;
  /** Where replayed requests are claimed (the store's atomic operations). */
  atomic: Pick<AtomicOps, 'claim'>;
  /** Body size limit in bytes (default: SLACK_BODY_LIMIT_BYTES). */
  bodyLimit?: number;
  /** Told of each request whose signature checked out, so its connection no longer counts as unverified. */
  onVerified?: (req: IncomingMessage) => void;
}

/**
 * POST /slack/events: our own bounded reader and signature check, then Bolt. Slash commands and
 * Events API deliveries are acked (200, empty) as soon as they check out, and handed to Bolt one per
 * event-loop turn: in a burst, every ack goes out without waiting behind the listener and job work
 * of the requests before it. Interactivity (modals) keeps Bolt's normal ack, since its response
 * body matters; an interaction no listener acks gets an empty 200 as soon as the listeners are done. A client can only ever get a 2xx or 4xx; a 5xx means a fault on our side.
 */
export function createEventsEndpoint(o: EventsEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const later = createTurnQueue();
  return (req, res) => {
    handle(o, later, req, res).catch((err: unknown) => {
      o.log.error({ err }, 'Slack request failed');
      if (!res.headersSent) http.buildNoBodyResponse(res, 500);
    });
  };
}

/** Runs deferred work one item per event-loop turn, so new requests are acked between the items of a burst. */
function createTurnQueue(): (fn: () => void) => void {
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

async function handle(o: EventsEndpointOptions, later: (fn: () => void) => void, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const verified = await intakeSlackRequest(o, req, res);
  if (!verified) return;
  o.onVerified?.(req);
  const { body } = verified;
  if (body.type === 'url_verification') {
    if (typeof body.challenge !== 'string') return void refuse(o.log, res, 400, 'url_verification without a challenge', false);
    return http.buildUrlVerificationResponse(res, body);
  }
  if (body.type === 'app_rate_limited') {
    o.log.warn({ teamId: body.team_id, minute: body.minute_rate_limited }, 'Slack rate-limited event deliveries to this app');
    return http.buildContentResponse(res, undefined);
  }
  const shape = checkSlackBody(body);
  if (!shape.ok) return void refuse(o.log, res, 400, shape.reason, false);
  // Commands and events are acked before any store is asked: Slack's 3 s hold whatever Redis does.
  const fastAck = shape.kind === 'command' || shape.kind === 'event';
  if (fastAck) http.buildContentResponse(res, undefined);
  const onUnclaimed = (key: string, err: unknown) =>
    o.log.warn({ err, kind: shape.kind, teamId: shape.teamId }, 'replay check unavailable; request handled unchecked');
  if (!(await claimSignedRequest(o.atomic, verified.timestamp, verified.raw, onUnclaimed))) {
    o.log.info({ kind: shape.kind, teamId: shape.teamId }, 'replayed Slack request skipped');
    if (!res.headersSent) http.buildContentResponse(res, undefined);
    return;
  }
  await dispatch(o, later, req, res, verified, shape.kind);
}

/** Hands the verified body to Bolt: commands and events were acked already, interactions get Bolt's own ack. */
async function dispatch(
  o: EventsEndpointOptions,
  later: (fn: () => void) => void,
  req: IncomingMessage,
  res: ServerResponse,
  v: VerifiedRequest,
  kind: SlackBodyKind,
): Promise<void> {
  const { body } = v;
  const fastAck = kind === 'command' || kind === 'event';
  const base = { body, retryNum: http.extractRetryNumFromHTTPRequest(req), retryReason: http.extractRetryReasonFromHTTPRequest(req), customProperties: {} };
  if (fastAck) {
    later(() => void o.app.processEvent({ ...base, ack: async () => undefined }).catch((err: unknown) => o.log.error({ err }, 'Slack listener failed')));
    return;
  }
  const buffered = Object.assign(req, { rawBody: v.raw }) as BufferedIncomingMessage;
  const ack = new HTTPResponseAck({ logger: o.boltLogger, processBeforeResponse: false, httpRequest: buffered, httpRequestBody: body, httpResponse: res });
  const bound = ack.bind();
  let acked = false;
  const event: ReceiverEvent = { ...base, ack: (response) => ((acked = true), bound(response)) };
  try {
    await o.app.processEvent(event);
    // Bolt waits for every listener; none acked, so none handles this (a button, shortcut or modal
    // that is not Hive's). Answer now instead of Slack's user seeing Bolt's 404 three seconds later.
    if (!acked && !res.headersSent) {
      ack.ack();
      http.buildContentResponse(res, undefined);
      o.log.debug({ interaction: body.type, teamId: teamIdOf(body, kind) }, 'Slack interaction with no listener acked with an empty 200');
    }
  } catch (error) {
    const handled = await http.defaultProcessEventErrorHandler({
      error: error as Error,
      logger: o.boltLogger,
      request: req,
      response: res,
      storedResponse: ack.storedResponse,
    });
    if (handled) ack.ack();
  }
}
