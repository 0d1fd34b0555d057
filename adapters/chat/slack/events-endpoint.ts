import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions as http, HTTPResponseAck, type App, type Logger as BoltLogger, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../../src/log.ts';

export interface EventsEndpointOptions {
  app: App;
  signingSecret: string;
  boltLogger: BoltLogger;
  log: Logger;
}

/** Slack's replay window; Bolt rejects older stamps, this also rejects stamps from the future. */
const MAX_SKEW_S = 5 * 60;

/**
 * POST /slack/events with Bolt's own verification and parsing, but slash commands and Events API
 * deliveries are acked (200, empty) as soon as their signature checks out, and handed to Bolt one
 * per event-loop turn: in a burst, every ack goes out without waiting behind the listener and job
 * work of the requests before it. Interactivity (modals) keeps Bolt's normal ack, since its
 * response body matters.
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
  if (stampedInFuture(req)) {
    o.log.warn('Slack request stamped in the future; refused');
    return http.buildNoBodyResponse(res, 401);
  }
  const verified = await verify(o, req, res);
  if (!verified) return;
  const { buffered, body } = verified;
  if (body.ssl_check === '1') return http.buildSSLCheckResponse(res);
  if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);
  const base = { body, retryNum: http.extractRetryNumFromHTTPRequest(req), retryReason: http.extractRetryReasonFromHTTPRequest(req), customProperties: {} };
  if (typeof body.command === 'string' || body.type === 'event_callback') {
    http.buildContentResponse(res, undefined);
    later(() => void o.app.processEvent({ ...base, ack: async () => undefined }).catch((err: unknown) => o.log.error({ err }, 'Slack listener failed')));
    return;
  }
  const ack = new HTTPResponseAck({ logger: o.boltLogger, processBeforeResponse: false, httpRequest: buffered, httpRequestBody: body, httpResponse: res });
  const event: ReceiverEvent = { ...base, ack: ack.bind() };
  try {
    await o.app.processEvent(event);
  } catch (error) {
    const handled = await http.defaultProcessEventErrorHandler({ error: error as Error, logger: o.boltLogger, request: req, response: res, storedResponse: ack.storedResponse });
    if (handled) ack.ack();
  }
}

/** Bolt's signature and staleness check, then parsing; answers 401/413/400 itself and returns undefined on failure. */
async function verify(o: EventsEndpointOptions, req: IncomingMessage, res: ServerResponse) {
  let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
  try {
    buffered = await http.parseAndVerifyHTTPRequest({ enabled: true, signingSecret: o.signingSecret }, req);
  } catch (err) {
    const tooLarge = http.isRawBodyError(err) && (err.type === 'entity.too.large' || err.statusCode === 413);
    o.log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'Slack request refused');
    http.buildNoBodyResponse(res, tooLarge ? 413 : 401);
    return undefined;
  }
  try {
    return { buffered, body: http.parseHTTPRequestBody(buffered) as Record<string, unknown> };
  } catch {
    http.buildNoBodyResponse(res, 400);
    return undefined;
  }
}

function stampedInFuture(req: IncomingMessage): boolean {
  const raw = req.headers['x-slack-request-timestamp'];
  const ts = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(ts) && ts > Date.now() / 1000 + MAX_SKEW_S;
}
