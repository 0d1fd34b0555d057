import type { CallStart } from './books.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { computeCost } from './cost.ts';
import { worstCaseUsage } from './usage-math.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ModelRequest } from '../shared/provider-spec.ts';

const toNano = (usd: number) => Math.round(usd * 1e9);

/** Who asked, where: the origin a job's calls are booked to. */
export interface BudgetOrigin {
  workspaceId: string;
  channelId: string;
  userId: string;
}

/** Where a job's calls are booked: who asked, where, and the evidence record they belong to. */
export interface Booking extends BudgetOrigin {
  evidenceId: string;
  at: Date;
  /** The queued job the calls are made for: its next run books what a stopped run left in flight. */
  jobId?: string;
  /** The lane the job was routed to, booked on each call's ledger row so spend splits by lane. */
  lane?: string;
  /** The rule that chose the lane (`auto: code`, `--deep`, `consensus`), so spend splits by rule. */
  route?: string;
}

/** The request a hold was taken for, and its native files' tokens. */
export type WorstCall = { req: ModelRequest; fileTokens: number };

/** A call's start as the books keep it until it is booked: its worst case priced at the job's time, like its hold. */
export function callStart(
  catalogue: PriceCatalogue,
  b: Booking,
  keys: readonly string[],
  holdId: string | undefined,
  ref: ModelRef,
  call: WorstCall,
): CallStart {
  const worst = worstCaseUsage(call.req, call.fileTokens);
  const usd = computeCost(catalogue, ref.vendor, ref.model, worst, { at: b.at })?.usd;
  return {
    job_id: b.jobId ?? null,
    at: b.at.getTime(),
    workspace_id: b.workspaceId,
    channel_id: b.channelId,
    user_id: b.userId,
    evidence_id: b.evidenceId,
    vendor: ref.vendor,
    model: ref.model,
    prompt_tokens: worst.inputTokens,
    max_tokens: worst.outputTokens,
    worst_nano: usd === undefined ? null : toNano(usd),
    hold_id: holdId ?? null,
    keys: JSON.stringify(keys),
    lane: b.lane ?? null,
    route: b.route ?? null,
  };
}

/** A finished call's ledger row: its usage and cost, booked where and when its job was, on the job's lane and rule. */
export function ledgerRow(b: Booking, c: CallRecord, u: NonNullable<CallRecord['usage']>) {
  return {
    at: b.at.getTime(),
    workspace_id: b.workspaceId,
    channel_id: b.channelId,
    user_id: b.userId,
    vendor: c.vendor,
    // The model billed: the one that served the call when the vendor served another than asked.
    model: c.pricedAs ?? c.model,
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_read_tokens: u.cacheReadTokens,
    cache_write_tokens: u.cacheWriteTokens,
    reasoning_tokens: u.reasoningTokens,
    cost_nano: c.costUsd === null ? null : toNano(c.costUsd),
    estimated: c.estimated ? 1 : 0,
    evidence_id: b.evidenceId,
    lane: b.lane ?? null,
    route: b.route ?? null,
  };
}
