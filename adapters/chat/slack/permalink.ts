import type { CapturedMessage } from '../../../src/chat/capture-event.ts';

/**
 * A message's link as `chat.getPermalink` would give it, without that call per message:
 * `<team url>archives/<channel>/p<ts without the dot>`, and for a reply
 * `?thread_ts=<parent ts>&cid=<channel>`. The host is the team's own (`auth.test` `url`), so
 * GovSlack and other Slack hosts link to where the message is.
 */
export function permalinkFor(teamUrl: string, channelId: string, ts: string, threadTs?: string): string | undefined {
  const base = httpBase(teamUrl);
  if (!base) return undefined;
  const channel = encodeURIComponent(channelId);
  const url = new URL(`archives/${channel}/p${ts.replace('.', '')}`, base).toString();
  return threadTs ? `${url}?thread_ts=${encodeURIComponent(threadTs)}&cid=${channel}` : url;
}

/** The captured message with its link, when the team's address is known (the link is optional). */
export function withPermalink(m: CapturedMessage, teamUrl: string | undefined): CapturedMessage {
  const permalink = teamUrl ? permalinkFor(teamUrl, m.channelId, m.messageId, m.threadId) : undefined;
  return permalink ? { ...m, permalink } : m;
}

/** An http(s) URL ending in `/`, so `archives/…` resolves under it; anything else is no base. */
export function httpBase(raw: string): URL | undefined {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (!u.pathname.endsWith('/')) u.pathname = `${u.pathname}/`;
    u.search = '';
    u.hash = '';
    return u;
  } catch {
    return undefined;
  }
}
