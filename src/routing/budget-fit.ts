import type { Books } from '../money/books.ts';
import { scopeStatus, type BudgetScope } from '../money/budget.ts';
import { worstCaseUsd, type PricedAt } from '../money/usage-math.ts';
import { UserError } from '../shared/errors.ts';
import { formatUsd } from '../money/footer.ts';
import type { Plan } from './router.ts';
import type { LaneTable } from '../settings/settings.ts';
import type { LaneName } from '../shared/types.ts';
import type { ModelRequest, Vendor } from '../shared/provider-spec.ts';
import type { ModelRef } from '../shared/types.ts';
import type { RequestFor } from './job-files.ts';

const LOWER: Record<LaneName, LaneName | undefined> = { deep: 'balanced', balanced: 'cheap', cheap: undefined };
/** Share of a cap after which jobs step down a lane rather than spend the rest at full price. */
export const NEAR_CAP = 0.9;

/**
 * Near a cap, a job steps down a lane and says so; when even the cheapest fitting lane cannot fit
 * its worst case, it is refused with the budget's name and how to raise it.
 */
export async function fitPlanToBudget(
  plan: Plan,
  lanes: LaneTable,
  usable: ReadonlySet<Vendor>,
  books: Books,
  scopes: BudgetScope[],
  req: ModelRequest | RequestFor,
  priced: PricedAt,
): Promise<{ plan: Plan; note?: string }> {
  const withCaps = scopes.filter((s) => s.capUsd !== undefined);
  if (withCaps.length === 0 || plan.pinned) return { plan };
  const capped = (await scopeStatus(books, withCaps)).map((s) => ({ ...s, usedUsd: s.spentUsd + s.heldUsd }));
  const tightest = capped.reduce((a, b) => (b.capUsd! - b.usedUsd < a.capUsd! - a.usedUsd ? b : a));
  const remaining = tightest.capUsd! - tightest.usedUsd;
  const used = tightest.capUsd! > 0 ? tightest.usedUsd / tightest.capUsd! : 1;
  let lane: LaneName | undefined = used >= NEAR_CAP ? (LOWER[plan.lane] ?? plan.lane) : plan.lane;
  for (; lane; lane = LOWER[lane]) {
    const candidates = lanes[lane].filter((m) => usable.has(m.vendor));
    const cheapest = Math.min(...candidates.map((c) => worstUsdFor(c, req, priced) ?? Infinity));
    if (candidates.length > 0 && cheapest <= remaining) {
      if (lane === plan.lane) return { plan };
      const why = `stepped down from ${plan.lane} (${tightest.name} budget ${Math.round(used * 100)}% used)`;
      return { plan: { ...plan, lane, candidates, reason: `${plan.reason}, budget` }, note: why };
    }
  }
  const state =
    tightest.capUsd! <= 0 ? 'is $0.00, which blocks every paid call' : `is nearly spent (${formatUsd(tightest.usedUsd)} of ${formatUsd(tightest.capUsd!)})`;
  throw new UserError(
    `The ${tightest.name} budget for this month ${state}, and no lane can answer within what is left. A workspace admin can raise it with \`${tightest.raiseWith}\`.`,
    'budget_exceeded',
  );
}

/** How a confirmation refusal ends; a platform with a Confirm button says that instead (see the answer jobs). */
export const CONFIRM_BY_FLAG = 'Run it again with --yes to go ahead.';

/** Asks before running a job whose worst case passes the workspace's confirmation threshold. */
export function requireConfirmation(plan: Plan, req: ModelRequest | RequestFor, thresholdUsd: number | undefined, confirmed: boolean, priced: PricedAt): void {
  if (thresholdUsd === undefined || confirmed) return;
  const worst = worstUsdFor(plan.candidates[0]!, req, priced);
  if (worst === undefined || worst <= thresholdUsd) return;
  throw new UserError(
    `This job could cost up to ${formatUsd(worst)} on ${plan.candidates[0]!.model}, above this workspace's confirmation threshold of ${formatUsd(thresholdUsd)}. ${CONFIRM_BY_FLAG}`,
    'needs_confirmation',
  );
}

/** The worst case of a call to `ref`: its request as that model receives it, files included. */
export function worstUsdFor(ref: ModelRef, req: ModelRequest | RequestFor, priced: PricedAt): number | undefined {
  const { request, fileTokens } = typeof req === 'function' ? req(ref) : { request: req, fileTokens: 0 };
  return worstCaseUsd(priced.catalogue, ref, request, priced.at, fileTokens);
}
