import type { webApi } from '@slack/bolt';

/** Retry policy the Web API client accepts, plus p-retry's hook (which the SDK type omits). */
type RetryPolicy = webApi.RetryOptions & { onFailedAttempt(err: Error): void };

export interface WebClientTuning {
  /** Retries after a 429 (each waits the `Retry-After` Slack sent); other failures are never retried. */
  rateLimitRetries?: number;
  /** Deadline for one Web API request. */
  timeoutMs?: number;
}

/**
 * Web API client options for every client Hive makes (bot, OAuth installer, Socket Mode): the
 * configured API base (GovSlack, proxies, tests), 429s retried after `Retry-After`, and nothing
 * else retried, because `chat.postMessage` has no idempotency key and a blind retry can double-post.
 */
export function webClientOptions(apiUrl: string, t: WebClientTuning = {}): webApi.WebClientOptions {
  const retryConfig: RetryPolicy = {
    retries: t.rateLimitRetries ?? 3,
    factor: 2,
    minTimeout: 50,
    maxTimeout: 1000,
    randomize: true,
    onFailedAttempt(err) {
      if (!isRateLimitRetry(err)) throw err;
    },
  };
  return { slackApiUrl: apiUrl, retryConfig, timeout: t.timeoutMs ?? 15_000, rejectRateLimitedCalls: false };
}

/** The SDK signals "waited Retry-After, try again" with this message (WebClient.makeRequest). */
function isRateLimitRetry(err: Error): boolean {
  return /rate limit was exceeded/i.test(err.message);
}

/** The OAuth authorize page that belongs to an API base: slack.com/api/ → slack.com/oauth/v2/authorize. */
export function authorizeUrlFor(apiUrl: string): string {
  return new URL('../oauth/v2/authorize', apiUrl).toString();
}
