import { createHmac } from 'node:crypto';
import { request } from 'node:http';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export function slackSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
  /** Adds `X-Slack-Retry-Num` (and a retry reason), as Slack does on redelivery. */
  retryNum?: number;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
}

export interface SignedResponse {
  status: number;
  text: string;
}

/** POSTs a body to the app exactly as Slack would, signed with the signing secret. */
export async function postSigned(url: string, rawBody: string, o: SignedPostOptions): Promise<SignedResponse> {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': o.contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': o.signature ?? slackSignature(o.secret, ts, rawBody),
  };
  if (o.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  return { status: res.status, text };
}

export interface SlashFields {
  teamId: string;
  channelId: string;
  userId: string;
  command: string;
  text: string;
  responseUrl: string;
  triggerId?: string;
}

/** The form body of a slash command. */
export function slashBody(f: SlashFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.teamId,
    team_domain: f.teamId.toLowerCase(),
    channel_id: f.channelId,
    channel_name: 'general',
    user_id: f.userId,
    user_name: f.userId.toLowerCase(),
    command: f.command,
    text: f.text,
    api_app_id: 'AHIVE',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? `trigger.${Math.random().toString(36).slice(2)}`,
  }).toString();
}

/** The JSON body of an Events API delivery. */
export function eventBody(teamId: string, eventId: string, event: Record<string, unknown>, botUserId = 'UBOT'): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'AHIVE',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event,
  });
}

/** The form body of an interactivity payload (view_submission, block_actions). */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface RawPostOptions {
  headers: Record<string, string>;
  /** Sent in pieces of this many bytes; without a `content-length` header the body goes chunked. */
  chunks: Buffer[];
  /** Leaves the request unfinished after the chunks (a client still sending, or a slow one). */
  holdOpen?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
}

/**
 * A POST over a fresh connection with full control of headers and body pieces; resolves on the
 * response even while the request body is still being sent (an early 413), and tolerates the
 * server closing the connection under an unsent body.
 */
export function rawPost(url: string, o: RawPostOptions): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: o.headers, agent: false });
    let closedResolve: () => void = () => undefined;
    const closed = new Promise<void>((r) => (closedResolve = r));
    req.on('socket', (s) => s.once('close', () => closedResolve()));
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', () => undefined);
      res.on('close', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString(), closed });
        if (o.holdOpen) req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    for (const c of o.chunks) req.write(c);
    if (!o.holdOpen) req.end();
  });
}
