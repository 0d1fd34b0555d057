import { fitPlanToBudget } from '../routing/budget-fit.ts';
import type { PricedAt } from '../money/usage-math.ts';
import { UserError } from '../shared/errors.ts';
import { ExecutionFailed, type Execution } from '../routing/execution.ts';
import type { RequestFor } from '../routing/job-files.ts';
import { planRoute, type Plan } from '../routing/router.ts';
import { readSelfCheck, requestsWithSelfCheck, withSelfCheck } from '../routing/self-check.ts';
import type { Books } from '../money/books.ts';
import type { BudgetScope } from '../money/budget.ts';
import { formatUsd } from '../money/footer.ts';
import { totalCost } from '../money/usage-math.ts';
import type { LaneTable } from '../settings/settings.ts';
import type { ModelRequest, Vendor } from '../shared/provider-spec.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { JobRoute } from './job-record.ts';

/** One routed execution of a plan: `stream` lets the answer reach the chat as it is written. */
export type RunPlan = (plan: Plan, request: ModelRequest, requestFor: RequestFor | undefined, stream: boolean) => Promise<Execution>;

/** What a cheap-first job has decided before its first call. */
export interface CheapFirstInput {
  plan: Plan;
  request: ModelRequest;
  requestFor?: RequestFor | undefined;
  lanes: LaneTable;
  vendors: ReadonlySet<Vendor>;
  scopes: BudgetScope[];
  books: Books;
  priced: PricedAt;
}

/** How a cheap-first job ended: the execution whose answer is shown, every call made, and the route and notes its footer states. */
export interface CheapFirstOutcome {
  exec: Execution;
  calls: CallRecord[];
  route: JobRoute;
  notes: string[];
}

/**
 * Cheap first: the cheap lane answers with a self-check line; a model that says it is unsure hands
 * the job once to the balanced lane (budget permitting), and the footer says so and what the cheap
 * attempt cost. The cheap attempt is not streamed: its last line decides whether it is shown at all.
 */
export async function runCheapFirst(x: CheapFirstInput, run: RunPlan): Promise<CheapFirstOutcome> {
  const first = await run(x.plan, withSelfCheck(x.request), x.requestFor && requestsWithSelfCheck(x.requestFor), false);
  const { answer, verdict } = readSelfCheck(first.result.text);
  const cheap = { ...first, result: { ...first.result, text: answer } };
  const kept = (reason: string, notes: string[] = []): CheapFirstOutcome => ({ exec: cheap, calls: first.calls, route: { lane: x.plan.lane, reason }, notes });
  if (verdict !== 'unsure') return kept(verdict === 'sure' ? 'cheap first: sure' : 'cheap first: no self-check');
  const strong = await strongPlan(x);
  if (!strong) return kept('cheap first: unsure', ['not escalated: the budget allows no stronger lane']);
  const attempt = `cheap attempt ${costText(first.calls)} (${first.ref.model}, unsure)`;
  try {
    const second = await run(strong, x.request, x.requestFor, true);
    return {
      exec: second,
      calls: [...first.calls, ...second.calls],
      route: { lane: strong.lane, reason: 'cheap first: escalated, cheap model unsure' },
      notes: [attempt],
    };
  } catch (e) {
    if (!(e instanceof ExecutionFailed)) throw e;
    const out = kept('cheap first: unsure', [`escalation to ${strong.lane} failed (${e.failures.join(', ') || e.code})`]);
    return { ...out, calls: [...first.calls, ...e.calls] };
  }
}

/** The balanced lane, fitted to the job's budgets; none when they leave room only for the cheap lane. */
async function strongPlan(x: CheapFirstInput): Promise<Plan | undefined> {
  const planned = planRoute(x.priced.catalogue, { lane: 'balanced', laneReason: 'cheap first: escalated' }, x.lanes, x.vendors);
  try {
    const { plan } = await fitPlanToBudget(planned, x.lanes, x.vendors, x.books, x.scopes, x.requestFor ?? x.request, x.priced);
    return plan.lane === 'cheap' ? undefined : plan;
  } catch (e) {
    if (e instanceof UserError) return undefined;
    throw e;
  }
}

function costText(calls: readonly CallRecord[]): string {
  const usd = totalCost(calls);
  return usd === undefined ? 'cost unknown' : formatUsd(usd);
}
