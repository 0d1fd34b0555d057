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
import type { ModelRef } from '../shared/types.ts';
import { extractAnswer } from '../models/answer-extract.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { JobRoute } from './job-record.ts';

/** One routed execution of a plan: `stream` lets the answer reach the chat as it is written; `bookAs` books its calls under another lane and rule. */
export type RunPlan = (plan: Plan, request: ModelRequest, requestFor: RequestFor | undefined, stream: boolean, bookAs?: JobRoute) => Promise<Execution>;

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
 * Cheap first: the cheap lane answers, with a self-check line asked for in the same call, from two
 * models of different vendors at once when two have keys. The job goes once to the balanced lane
 * (budget permitting) when a model says it is unsure or the two give different short answers; the
 * footer says so and what the cheap attempt cost. The cheap attempt is not streamed: its outcome
 * decides whether it is shown at all.
 */
export async function runCheapFirst(x: CheapFirstInput, run: RunPlan): Promise<CheapFirstOutcome> {
  const first = await cheapAttempt(x, run);
  const kept = (reason: string, notes: string[] = []): CheapFirstOutcome => ({
    ...first,
    route: { lane: x.plan.lane, reason },
    notes: [...first.notes, ...notes],
  });
  if (!first.doubt) return kept(`cheap first: ${first.notes.length ? 'agreed' : first.sure ? 'sure' : 'no self-check'}`);
  const strong = await strongPlan(x);
  if (!strong) return kept(`cheap first: not escalated, ${first.doubt}`, ['the budget allows no stronger lane']);
  const attempt = `cheap attempt ${costText(first.calls)}`;
  try {
    const route = { lane: strong.lane, reason: `cheap first: escalated, ${first.doubt}` };
    const second = await run(strong, x.request, x.requestFor, true, route);
    return {
      exec: second,
      calls: [...first.calls, ...second.calls],
      route,
      notes: [attempt],
    };
  } catch (e) {
    if (!(e instanceof ExecutionFailed)) throw e;
    const out = kept(`cheap first: not escalated, ${first.doubt}`, [`escalation to ${strong.lane} failed (${e.failures.join(', ') || e.code})`]);
    return { ...out, calls: [...first.calls, ...e.calls] };
  }
}

/** The cheap lane's answer: the one shown if it stands, every call made, and why it is in doubt, if it is. */
interface CheapAttempt {
  exec: Execution;
  calls: CallRecord[];
  sure: boolean;
  doubt?: string;
  notes: string[];
}

/** One cheap model with a self-check, or two of different vendors at once whose short answers are compared too. */
async function cheapAttempt(x: CheapFirstInput, run: RunPlan): Promise<CheapAttempt> {
  const checked = (ref: ModelRef) =>
    run({ ...x.plan, candidates: [ref] }, withSelfCheck(x.request), x.requestFor && requestsWithSelfCheck(x.requestFor), false);
  const pair = pairOf(x.plan.candidates);
  if (!pair) return judged([await run(x.plan, withSelfCheck(x.request), x.requestFor && requestsWithSelfCheck(x.requestFor), false)], []);
  const settled = await Promise.allSettled(pair.map(checked));
  const answered = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failedCalls = settled.flatMap((r) => (r.status === 'rejected' && r.reason instanceof ExecutionFailed ? r.reason.calls : []));
  if (answered.length === 0) throw settled.map((r) => (r.status === 'rejected' ? r.reason : undefined)).find(Boolean);
  return judged(answered, failedCalls);
}

/** Reads each answer's self-check, and compares two short answers (a number, yes/no, a choice) when both give one. */
function judged(execs: Execution[], failedCalls: CallRecord[]): CheapAttempt {
  const read = execs.map((e) => ({ e, ...readSelfCheck(e.result.text) }));
  const shown = read[0]!;
  const exec = { ...shown.e, result: { ...shown.e.result, text: shown.answer } };
  const calls = [...execs.flatMap((e) => e.calls), ...failedCalls];
  const unsure = read.find((r) => r.verdict === 'unsure');
  const sure = read.every((r) => r.verdict === 'sure');
  if (unsure) return { exec, calls, sure, doubt: `${unsure.e.ref.model} unsure`, notes: [] };
  if (read.length < 2) return { exec, calls, sure, notes: [] };
  const [a, b] = read.map((r) => extractAnswer(r.answer)?.key);
  const names = read.map((r) => r.e.ref.model).join(' and ');
  if (a !== undefined && b !== undefined && a !== b) return { exec, calls, sure, doubt: `${names} disagree`, notes: [] };
  return { exec, calls, sure, notes: a !== undefined && a === b ? [`${names} agree`] : [] };
}

/** The first two cheap candidates of different vendors, when there are two. */
function pairOf(candidates: readonly ModelRef[]): [ModelRef, ModelRef] | undefined {
  const first = candidates[0];
  const second = candidates.find((c) => c.vendor !== first?.vendor);
  return first && second ? [first, second] : undefined;
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
