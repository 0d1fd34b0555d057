import type { webApi } from '@slack/bolt';
import type { HistoryPage, MessageTarget } from '../../../src/chat/chat-adapter.ts';
import type { CapturedMessage } from '../../../src/chat/capture-event.ts';
import { captureEventOf } from './capture-event.ts';
import { teamIdOfWorkspace } from './deps.ts';
import { withPermalink } from './permalink.ts';
import type { TeamUrls } from './team-urls.ts';

/** How a Slack app may read history: the page size and the spacing between reads its standing allows. */
export interface SlackHistoryLimits {
  /** Messages per `conversations.history` read (15 for commercial apps outside the Marketplace). */
  limit: number;
  /** Spacing between reads (one a minute for those apps). */
  paceMs: number;
}

/** Outside the Marketplace (since 2025-05-29 for new installs, 2026-03-03 for existing): 1 read a minute, 15 messages. */
export const LIMITED_HISTORY: SlackHistoryLimits = { limit: 15, paceMs: 60_000 };
/** Marketplace and internal (customer-built) apps keep Tier 3 (about 50 reads a minute). */
export const TIER3_HISTORY: SlackHistoryLimits = { limit: 200, paceMs: 1_500 };

export interface SlackHistoryDeps {
  client: webApi.WebClient;
  tokenFor(workspaceId: string): Promise<string>;
  urls: TeamUrls;
  limits: SlackHistoryLimits;
}

/**
 * One page of a channel's top-level history for a digest's backfill, newest first, as the capture
 * would have reported it (people only, with permalinks); thread replies are not read back
 * (`conversations.replies` is limited the same way, a read per thread).
 */
export function createSlackHistory(d: SlackHistoryDeps): (target: MessageTarget, sinceMs: number, cursor: string | undefined) => Promise<HistoryPage> {
  return async (target, sinceMs, cursor) => {
    const token = await d.tokenFor(target.workspaceId);
    const r = await d.client.conversations.history({
      token,
      channel: target.channelId,
      oldest: (sinceMs / 1000).toFixed(6),
      limit: d.limits.limit,
      ...(cursor ? { cursor } : {}),
    });
    const teamUrl = await d.urls.urlOf(teamIdOfWorkspace(target.workspaceId), { auth: { test: () => d.client.auth.test({ token }) } } as Pick<
      webApi.WebClient,
      'auth'
    >);
    const messages: CapturedMessage[] = [];
    for (const m of r.messages ?? []) {
      const e = captureEventOf(
        { ...m, channel: target.channelId, channel_type: 'channel' },
        { workspaceId: target.workspaceId, botUserId: undefined, botId: undefined },
      );
      if (e?.kind === 'message' && e.message.at > sinceMs) messages.push(withPermalink(e.message, teamUrl));
    }
    const next = r.has_more ? r.response_metadata?.next_cursor : undefined;
    return { messages, ...(next ? { next } : {}) };
  };
}
