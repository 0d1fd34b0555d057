import type { ServerResponse } from 'node:http';
import { ReceiverMultipleAckError, type AckFn } from '@slack/bolt';
import type { Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Slack gives up on a request after 3 s; past this, an interaction nobody acked is answered 404. */
export const UNACKED_TIMEOUT_MS = 3001;

/** The `ack` a Bolt listener calls for one HTTP request, and what the receiver needs to know of it. */
export interface ResponseAck {
  /** Bolt's ack: the first call answers the request (200, with the body given); a second throws. */
  ack: AckFn<unknown>;
  /** Whether the request has been acknowledged (by a listener or by {@link ResponseAck.settle}). */
  acked(): boolean;
  /** Marks the request acknowledged without answering it (the receiver answered it itself). */
  settle(): void;
}

/**
 * An ack over one HTTP response. Until it is called a timer runs on `clock`: a request no listener
 * acknowledged within Slack's 3 s is answered 404, so the connection never hangs.
 */
export function createResponseAck(res: ServerResponse, o: { clock: Clock; log: Logger; timeoutMs?: number }): ResponseAck {
  let acked = false;
  const timer = new AbortController();
  o.clock.sleep(o.timeoutMs ?? UNACKED_TIMEOUT_MS, timer.signal).then(
    () => {
      if (acked) return;
      o.log.error('Slack request not acknowledged within 3 seconds; answered 404');
      if (!res.headersSent) res.writeHead(404).end();
    },
    () => undefined,
  );
  const settle = () => {
    acked = true;
    timer.abort();
  };
  return {
    async ack(response) {
      if (acked) throw new ReceiverMultipleAckError();
      settle();
      sendContent(res, response);
    },
    acked: () => acked,
    settle,
  };
}

/** A 200 the way Slack reads an ack: empty, the text given, or JSON for an object (a modal's `response_action`). */
export function sendContent(res: ServerResponse, body: unknown): void {
  if (res.headersSent) return;
  if (!body) res.writeHead(200).end();
  else if (typeof body === 'string') res.writeHead(200).end(body);
  else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The answer to Slack's `url_verification`: its challenge echoed as JSON. */
export function sendChallenge(res: ServerResponse, challenge: string): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge }));
}

/** `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`, which Bolt puts on a listener's context. */
export function retryOf(headers: Record<string, string | string[] | undefined>): { retryNum?: number; retryReason?: string } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const num = first(headers['x-slack-retry-num']);
  const reason = first(headers['x-slack-retry-reason']);
  return { ...(num !== undefined ? { retryNum: Number.parseInt(num, 10) } : {}), ...(reason !== undefined ? { retryReason: reason } : {}) };
}
