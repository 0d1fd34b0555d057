import { createHmac } from 'node:crypto';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
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
  /** Time from sending the request to the end of the response (the ack latency). */
  ms: number;
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
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
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
