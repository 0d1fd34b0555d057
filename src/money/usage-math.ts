import type { CallRecord } from '../evidence/evidence-store.ts';
import { type Usage, ZERO_USAGE, type ChatMessage, type ModelRequest } from '../shared/provider-spec.ts';
import type { ModelRef } from '../shared/types.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { computeCost } from './cost.ts';

/** The numeric counts of a usage (not where inference ran or at which tier). */
type TokenCount = Exclude<keyof Usage, 'inferenceGeo' | 'serviceTier'>;

/** Adds the usage of every call, failed ones included (they may have been billed). */
export function sumUsage(calls: readonly CallRecord[]): Usage {
  const total = { ...ZERO_USAGE };
  for (const c of calls) {
    if (!c.usage) continue;
    for (const k of Object.keys(total) as TokenCount[]) total[k] += c.usage[k];
  }
  return total;
}

/** Total USD of the calls, or `undefined` when any billed call has no known price. */
export function totalCost(calls: readonly CallRecord[]): number | undefined {
  let usd = 0;
  for (const c of calls) {
    if (c.costUsd === null) return undefined;
    usd += c.costUsd;
  }
  return usd;
}

/** Bytes counted per message for its role and framing, on top of its content. */
const MESSAGE_FRAMING_BYTES = 8;

/**
 * The most input tokens a prompt can be billed as: a token is never shorter than a byte, so every
 * byte counts as one. Budget holds and consensus estimates must agree on this bound.
 */
export function worstCaseInputTokens(prompt: { system?: string | undefined; messages: readonly ChatMessage[] }): number {
  return Buffer.byteLength(prompt.system ?? '') + prompt.messages.reduce((n, m) => n + Buffer.byteLength(m.content) + MESSAGE_FRAMING_BYTES, 0);
}

/**
 * The largest usage a request can cause: its worst-case input and the full `max_tokens` of output.
 * `fileTokens`: what the files sent as native blocks bill by the vendor's rule (they are not text bytes).
 */
export function worstCaseUsage(req: ModelRequest, fileTokens = 0): Usage {
  return { ...ZERO_USAGE, inputTokens: worstCaseInputTokens(req) + fileTokens, outputTokens: req.maxTokens };
}

/** The table a job's worst cases are priced with, and the job's time (the rates in force then). */
export interface PricedAt {
  catalogue: PriceCatalogue;
  at: Date;
}

/** The worst a call started at `at` can cost: every input byte a token, its native files' tokens, and the full max_tokens of output. */
export function worstCaseUsd(catalogue: PriceCatalogue, ref: ModelRef, req: ModelRequest, at: Date, fileTokens = 0): number | undefined {
  return computeCost(catalogue, ref.vendor, ref.model, worstCaseUsage(req, fileTokens), { at })?.usd;
}
