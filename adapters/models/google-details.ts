import { parseDuration } from './durations.ts';
import { isRecord, str } from './json.ts';
import type { WireFailure } from './wire-failure.ts';

function detailsOfType(f: WireFailure, suffix: string): Record<string, unknown>[] {
  return (f.details ?? []).filter((d): d is Record<string, unknown> => isRecord(d) && (str(d, '@type') ?? '').endsWith(suffix));
}

/**
 * Gemini's retry hint. The message's "Please retry in 0.25s." is exact, while
 * `RetryInfo.retryDelay` is whole seconds ("1s"): a 250 ms wait read as 1 s idles the pace four
 * times too long after every 429. So the message wins where it has one, else RetryInfo.
 */
export function googleRetryDelayMs(f: WireFailure): number | undefined {
  const m = /retry in (\d+(?:\.\d+)?(?:ms|s))/i.exec(f.message ?? '');
  const said = m?.[1] ? parseDuration(m[1]) : undefined;
  if (said !== undefined) return said;
  for (const info of detailsOfType(f, 'google.rpc.RetryInfo')) {
    const delay = str(info, 'retryDelay');
    const ms = delay === undefined ? undefined : parseDuration(delay);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

/**
 * True when a Gemini RESOURCE_EXHAUSTED is a quota that will not refill soon: a per-day
 * quota, or a limit of 0 (the model is not in the key's tier), so retrying is pointless.
 */
export function isGoogleHardQuota(f: WireFailure): boolean {
  for (const q of detailsOfType(f, 'google.rpc.QuotaFailure')) {
    const violations = Array.isArray(q['violations']) ? q['violations'] : [];
    for (const v of violations) {
      if (/PerDay/i.test(str(v, 'quotaId') ?? '')) return true;
      if (str(v, 'quotaValue') === '0') return true;
    }
  }
  return /\blimit: 0(?![.\d])|per day|daily/i.test(f.message ?? '');
}

/** Google's ErrorInfo `reason` (e.g. API_KEY_INVALID), the stable code behind a message. */
export function googleReason(details: unknown[] | undefined): string | undefined {
  const info = detailsOfType({ details }, 'google.rpc.ErrorInfo')[0];
  return info ? str(info, 'reason') : undefined;
}
