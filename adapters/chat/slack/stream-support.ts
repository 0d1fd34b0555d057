import type { Logger } from '../../../src/shared/log.ts';

/**
 * Errors that mean a workspace (its plan, the app's scopes, the token) has no native streaming or
 * assistant status at all, rather than that one call failed: remembered, so later answers go
 * straight to the placeholder.
 */
export const UNAVAILABLE_ERRORS: readonly string[] = ['unknown_method', 'not_allowed_token_type', 'missing_scope', 'feature_not_enabled'];

/** What Slack features a workspace has refused so far, so each refusal is logged once, not once per answer. */
export interface StreamSupport {
  /** Whether to try `feature` for this team: on unless turned off (`HIVE_SLACK_STREAMING=off`) or refused before. */
  allows(teamId: string, feature: SlackFeature): boolean;
  /** Notes a failed call; true when the error means the feature is unavailable there (fall back and stop trying). */
  refused(teamId: string, feature: SlackFeature, code: string | undefined): boolean;
}

/** `stream`: chat.startStream and friends; `status`: assistant.threads.setStatus. */
export type SlackFeature = 'stream' | 'status';

export function createStreamSupport(o: { enabled: boolean; log: Logger }): StreamSupport {
  const off = new Set<string>();
  return {
    allows: (teamId, feature) => (feature === 'status' || o.enabled) && !off.has(`${feature}:${teamId}`),
    refused(teamId, feature, code) {
      if (code === undefined || !UNAVAILABLE_ERRORS.includes(code)) return false;
      const key = `${feature}:${teamId}`;
      if (!off.has(key)) {
        off.add(key);
        const what = feature === 'stream' ? 'native streaming; answers use a placeholder and edits' : 'assistant status; waits show in the answer';
        o.log.warn({ teamId, error: code }, `Slack workspace has no ${what}`);
      }
      return true;
    },
  };
}
