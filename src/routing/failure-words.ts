import type { VendorErrorKind } from '../shared/errors.ts';

/** Why a running call was cut short on purpose: its own deadline, or a quorum that no longer needed it. */
export type StopCause = { kind: 'timeout'; afterMs: number } | { kind: 'quorum'; agreed: number; of: number } | { kind: 'cancelled' };

/**
 * One label per way a vendor call fails, so a footer ("via openai (anthropic overloaded)"), a
 * consensus member line and a synthesis note never describe the same failure differently.
 */
export const VENDOR_FAILURE_WORDS: Readonly<Record<VendorErrorKind, string>> = {
  auth: 'key rejected',
  quota: 'quota exhausted',
  spend_limit: 'spend limit reached',
  rate_limit: 'rate-limited',
  overloaded: 'overloaded',
  server: 'server error',
  timeout: 'call timed out',
  stream_cut: 'answer cut off',
  bad_response: 'malformed response',
  network: 'unreachable',
  bad_request: 'request refused',
  aborted: 'cancelled',
};

/** The label of a vendor failure kind; an unknown kind (from an old record) reads as a plain failure. */
export function vendorFailureWords(kind: VendorErrorKind | string | undefined): string {
  return kind !== undefined && Object.hasOwn(VENDOR_FAILURE_WORDS, kind) ? VENDOR_FAILURE_WORDS[kind as VendorErrorKind] : 'failed';
}

/** One label per stop cause: what the user reads after "timed out:" or "stopped retrying:". */
export function stopWords(c: StopCause): string {
  if (c.kind === 'timeout') return `no answer within ${formatWait(c.afterMs)}`;
  if (c.kind === 'cancelled') return 'the job was cancelled';
  return `${c.agreed}/${c.of} had already agreed`;
}

/** A configured wait, exact below a second (`150 ms`), to a tenth above (`2.5 s`). */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** How a member without an answer ended, in the words every consensus line uses. */
export const MEMBER_END_WORDS = { failed: 'failed', timed_out: 'timed out' } as const;

/** The end word of anything that gave no answer: `timed out` when its deadline ended it, else `failed`. */
export function endWords(status: 'failed' | 'timed_out' | 'ok'): string {
  return status === 'timed_out' ? MEMBER_END_WORDS.timed_out : MEMBER_END_WORDS.failed;
}

/** What a call cut off by its own deadline reads as: `timed out (no answer within 3 s)`. */
export function timedOutWords(afterMs: number): string {
  return `${MEMBER_END_WORDS.timed_out} (${stopWords({ kind: 'timeout', afterMs })})`;
}
