import { CONFIRM_BY_FLAG } from '../routing/budget-fit.ts';
import type { Books } from '../money/books.ts';
import { scopeStatus, type BudgetScope } from '../money/budget.ts';
import { computeCost } from '../money/cost.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { UserError } from '../shared/errors.ts';
import { formatUsd } from '../money/footer.ts';
import { worstCaseInputTokens, worstCaseUsd } from '../money/usage-math.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ModelRequest } from '../shared/provider-spec.ts';
import { ZERO_USAGE } from '../shared/provider-spec.ts';
import { SYNTHESIS_SYSTEM } from './synthesis-prompt.ts';
import type { RequestFor } from '../routing/job-files.ts';

/** The worst a consensus can cost: every member's worst case plus the synthesis (with its repair). */
export interface ConsensusEstimate {
  members: { ref: ModelRef; usd: number | undefined }[];
  /** `undefined` when no synthesis can happen (one member) or its price is unknown. */
  synthesisUsd: number | undefined;
  /** Sum of the parts whose price is known. */
  knownUsd: number;
  /** Whether every part has a known price. */
  complete: boolean;
}

/** Bytes of fences and instructions around the candidates in the judge's prompt, rounded up. */
const FENCE_OVERHEAD = 600;

/** Sums members' worst cases and the most expensive possible judge's worst case (two attempts), at the job's time `at`. */
export function estimateConsensus(
  catalogue: PriceCatalogue,
  members: readonly ModelRef[],
  req: ModelRequest,
  judges: readonly ModelRef[],
  at: Date,
  requestFor?: RequestFor,
): ConsensusEstimate {
  const parts = members.map((ref) => ({ ref, usd: memberWorstUsd(catalogue, ref, requestFor ? requestFor(ref) : { request: req, fileTokens: 0 }, at) }));
  const synthesisUsd = members.length < 2 ? undefined : maxOf(judges.map((j) => judgeWorstUsd(catalogue, j, req, members.length, at)));
  const needsJudge = members.length >= 2;
  const complete = parts.every((p) => p.usd !== undefined) && (!needsJudge || synthesisUsd !== undefined);
  const knownUsd = parts.reduce((s, p) => s + (p.usd ?? 0), 0) + (synthesisUsd ?? 0);
  return { members: parts, synthesisUsd, knownUsd, complete };
}

/** A member's worst case: its request as its vendor receives it, its native files' tokens included. */
function memberWorstUsd(catalogue: PriceCatalogue, ref: ModelRef, input: ReturnType<RequestFor>, at: Date): number | undefined {
  return worstCaseUsd(catalogue, ref, input.request, at, input.fileTokens);
}

/** The judge reads the request and every candidate at full length; a repair re-sends it all. */
function judgeWorstUsd(catalogue: PriceCatalogue, judge: ModelRef, req: ModelRequest, n: number, at: Date): number | undefined {
  const base = worstCaseInputTokens({ system: SYNTHESIS_SYSTEM, messages: req.messages }) + FENCE_OVERHEAD * (n + 1);
  const first = base + n * req.maxTokens;
  const repair = first + req.maxTokens + FENCE_OVERHEAD;
  const usage = { ...ZERO_USAGE, inputTokens: first + repair, outputTokens: 2 * req.maxTokens };
  return computeCost(catalogue, judge.vendor, judge.model, usage, { at })?.usd;
}

function maxOf(values: (number | undefined)[]): number | undefined {
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  return Math.max(...(values as number[]));
}

/** Shows the estimate first, and stops, when it passes the workspace's confirmation threshold. */
export function requireConsensusConfirmation(est: ConsensusEstimate, thresholdUsd: number | undefined, confirmed: boolean): void {
  if (thresholdUsd === undefined || confirmed || est.knownUsd <= thresholdUsd) return;
  const parts = est.members.map((m) => `${m.ref.model} ${m.usd === undefined ? 'cost unknown' : formatUsd(m.usd)}`);
  const judge = est.synthesisUsd === undefined ? '' : `, synthesis up to ${formatUsd(est.synthesisUsd)}`;
  throw new UserError(
    `This consensus could cost up to ${formatUsd(est.knownUsd)}${est.complete ? '' : ' plus unpriced calls'} (${parts.join(' + ')}${judge}), above this workspace's confirmation threshold of ${formatUsd(thresholdUsd)}. ${CONFIRM_BY_FLAG}`,
    'needs_confirmation',
  );
}

/** Refuses before any call when the whole panel's worst case does not fit a capped budget. */
export async function requireBudgetRoom(est: ConsensusEstimate, books: Books, scopes: BudgetScope[]): Promise<void> {
  for (const s of await scopeStatus(books, scopes)) {
    if (s.capUsd === undefined) continue;
    const left = Math.max(0, s.capUsd - s.spentUsd - s.heldUsd);
    if (est.knownUsd <= left) continue;
    throw new UserError(
      `The ${s.name} budget has ${formatUsd(left)} left this month, and this consensus could cost up to ${formatUsd(est.knownUsd)} (${est.members.length === 1 ? 'one model' : `${est.members.length} models and a synthesis`}). Try \`--cheap\` or fewer \`--models\`; a workspace admin can raise it with \`${s.raiseWith}\`.`,
      'budget_exceeded',
    );
  }
}
