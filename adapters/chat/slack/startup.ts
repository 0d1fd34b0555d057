import type { Clock } from '../../../src/shared/clock.ts';
import { HiveError } from '../../../src/shared/errors.ts';

/** How long each start-up step (token check, Socket Mode connection) may take before Hive gives up. */
export const STARTUP_DEADLINE_MS = 10_000;

/** One start-up call: what it is, where it goes, and which setting it depends on. */
export interface StartupStep {
  /** e.g. `auth.test` or `Socket Mode connection`. */
  what: string;
  /** Where it goes (credentials and query removed before it is shown). */
  url: string;
  /** The variable that names `url`, e.g. SLACK_API_URL. */
  urlVar: string;
  /** The token the call presents, e.g. SLACK_BOT_TOKEN (named, never shown). */
  tokenVar: string;
}

/** The Slack adapter could not start: says which call failed, against which URL, and what to check. */
export class SlackStartError extends HiveError {
  constructor(message: string, retryable: boolean, cause: unknown) {
    super('slack_start_failed', message, { retryable, cause });
    this.name = 'SlackStartError';
  }
}

/**
 * Runs one start-up step within `deadlineMs` on `clock`: a failure or a hang becomes a
 * {@link SlackStartError} an operator can act on, instead of the SDK's bare "fetch failed".
 * `onDeadline` stops whatever the step left running (e.g. Socket Mode reconnecting).
 */
export async function startupStep<T>(
  step: StartupStep,
  o: { clock: Clock; deadlineMs: number; scrub(text: string): string; onDeadline?(): Promise<void> },
  run: () => Promise<T>,
): Promise<T> {
  const timer = new AbortController();
  const late = o.clock.sleep(o.deadlineMs, timer.signal).then(
    () => 'late' as const,
    () => 'cancelled' as const,
  );
  try {
    const outcome = await Promise.race([run().then((value) => ({ value })), late]);
    if (typeof outcome === 'object') return outcome.value;
    await o.onDeadline?.().catch(() => undefined);
    const seconds = Math.round(o.deadlineMs / 100) / 10;
    throw new SlackStartError(
      `${step.what} to ${shownUrl(step.url)} (${step.urlVar}) did not complete within ${seconds} s. Check ${step.urlVar} and that this machine can reach it (DNS, proxy, firewall).`,
      true,
      undefined,
    );
  } catch (err) {
    if (err instanceof SlackStartError) throw new SlackStartError(o.scrub(`Slack start-up failed: ${err.message}`), err.retryable, err.cause);
    const { text, retryable } = describeFailure(step, err);
    throw new SlackStartError(o.scrub(`Slack start-up failed: ${text}`), retryable, err);
  } finally {
    timer.abort();
  }
}

interface SlackSdkError {
  code?: string;
  statusCode?: number;
  data?: { error?: string };
  original?: { message?: string; cause?: { code?: string; message?: string } };
  message?: string;
}

/** What went wrong, in an operator's words, from the Web API client's error shapes. */
function describeFailure(step: StartupStep, err: unknown): { text: string; retryable: boolean } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SlackSdkError;
  const at = `${shownUrl(step.url)} (${step.urlVar})`;
  if (e.code === 'slack_webapi_platform_error' && e.data?.error) {
    return {
      text: `${step.what} at ${at} was refused: ${e.data.error}. Check that ${step.tokenVar} is this app's current token (not revoked, from the app's settings page) and that ${step.urlVar} is the Slack this app is installed on.`,
      retryable: false,
    };
  }
  if (e.code === 'slack_webapi_http_error') {
    return {
      text: `${step.what} at ${at} answered HTTP ${e.statusCode ?? '?'}. Check ${step.urlVar}: it is the Web API base, ending in /api/ (default https://slack.com/api/).`,
      retryable: true,
    };
  }
  if (e.code === 'slack_webapi_request_error') {
    const cause = e.original?.cause;
    const reason = cause?.code
      ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? `: ${cause.message}` : ''}`
      : (cause?.message ?? e.original?.message ?? 'request failed');
    return {
      text: `${step.what} could not reach ${at} (${reason}). Check ${step.urlVar} and that this machine can reach it (DNS, proxy, firewall).`,
      retryable: true,
    };
  }
  return { text: `${step.what} against ${at} failed: ${e.message ?? String(err)}. Check ${step.urlVar} and ${step.tokenVar}.`, retryable: false };
}

/** A URL fit to print: no user or password, no query (a Socket Mode URL carries a ticket) and no fragment. */
export function shownUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
