import type { VendorErrorKind } from '../../src/shared/errors.ts';
import type { FinishReason, Usage, Vendor } from '../../src/shared/provider-spec.ts';
import { anthropicUsage } from '../fakes/anthropic-wire.ts';
import { googleUsage } from '../fakes/google-wire.ts';
import { openaiUsage } from '../fakes/openai-wire.ts';
import type { FakeBehaviour, FakeStreamError, FakeUsage } from '../fakes/types.ts';

/** How each vendor spells the same situations on the wire; the contract asserts one normalised outcome. */
export interface VendorNatives {
  /** Headers that may carry the key (the Anthropic SDK sends Bearer, the API also takes x-api-key). */
  keyHeaders: string[];
  finish: Record<Exclude<FinishReason, 'other'>, string>;
  /** The vendor's own words for a bad key, which must survive into the VendorError message. */
  badKeyReason: RegExp;
  /** Cache writes this vendor can report at all: none, written tokens only (OpenAI), or written with the 1-hour part (Anthropic). */
  reportsCacheWrite: false | 'written' | 'written-and-1h';
  rawUsage: (u: FakeUsage) => unknown;
  /** Credits or quota exhausted: a key-fatal, not-retryable failure. */
  quota: FakeBehaviour;
  /** An account spend cap reached, if the vendor has a distinct error for it. */
  spendLimit?: FakeBehaviour;
  midStreamError: { error: FakeStreamError; kind: VendorErrorKind };
  /** Whether a cut stream had already reported some usage (input) before the cut. */
  usageBeforeCut: boolean;
  /** The processing tier the vendor reports by default (OpenAI `service_tier`, Anthropic `usage.service_tier`). */
  servedTier?: string;
}

/** The wire spellings per vendor; add a vendor here and the whole contract applies to it. */
export const NATIVES: Record<Vendor, VendorNatives> = {
  anthropic: {
    keyHeaders: ['x-api-key', 'authorization'],
    finish: { stop: 'end_turn', length: 'max_tokens', content_filter: 'refusal', tool_calls: 'tool_use' },
    badKeyReason: /invalid x-api-key/,
    reportsCacheWrite: 'written-and-1h',
    servedTier: 'standard',
    rawUsage: (u) => anthropicUsage(u),
    quota: {
      status: 400,
      errorMessage: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    },
    spendLimit: { status: 429, errorType: 'enforced_spend_limit_reached' },
    midStreamError: { error: { afterChunks: 1, status: 529, errorType: 'overloaded_error' }, kind: 'overloaded' },
    usageBeforeCut: true,
  },
  openai: {
    keyHeaders: ['authorization'],
    finish: { stop: 'stop', length: 'length', content_filter: 'content_filter', tool_calls: 'tool_calls' },
    badKeyReason: /Incorrect API key provided/,
    reportsCacheWrite: 'written',
    servedTier: 'default',
    rawUsage: (u) => openaiUsage(u),
    quota: { status: 429, errorType: 'insufficient_quota' },
    spendLimit: { status: 400, errorType: 'billing_hard_limit_reached' },
    midStreamError: { error: { afterChunks: 1, status: 500, errorType: 'server_error' }, kind: 'server' },
    usageBeforeCut: false,
  },
  google: {
    keyHeaders: ['x-goog-api-key'],
    finish: { stop: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY', tool_calls: 'MALFORMED_FUNCTION_CALL' },
    badKeyReason: /API key not valid/,
    reportsCacheWrite: false,
    rawUsage: (u) => googleUsage(u),
    quota: { status: 429, quota: { period: 'day', limit: 250 }, retryAfterMs: 30_000 },
    midStreamError: { error: { afterChunks: 1, status: 503 }, kind: 'overloaded' },
    usageBeforeCut: true,
  },
};

/** A usage script exercising every field; vendors that cannot report cache writes report 0. */
export const RICH_USAGE: FakeUsage = { input: 120, output: 48, cacheRead: 30, cacheWrite: 20, cacheWrite1h: 5, reasoning: 12 };

/** The normalised usage a provider must return for `RICH_USAGE`. */
export function expectedUsage(vendor: Vendor): Usage {
  const u = RICH_USAGE;
  const cw = NATIVES[vendor].reportsCacheWrite;
  return {
    inputTokens: u.input,
    cacheReadTokens: u.cacheRead,
    cacheWriteTokens: cw ? u.cacheWrite : 0,
    cacheWrite1hTokens: cw === 'written-and-1h' ? u.cacheWrite1h : 0,
    outputTokens: u.output,
    reasoningTokens: u.reasoning,
    ...(NATIVES[vendor].servedTier ? { serviceTier: NATIVES[vendor].servedTier } : {}),
  };
}
