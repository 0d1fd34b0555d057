import type { Books } from '../money/books.ts';
import { createSpendGate, type JobSpendGate } from '../money/budget.ts';
import { fitPlanToBudget, requireConfirmation } from '../routing/budget-fit.ts';
import { trimmedContextNote } from '../models/context-window.ts';
import { loadJobBasis } from './job-basis.ts';
import type { CallRecord, EvidenceStore } from '../evidence/evidence-store.ts';
import { ExecutionFailed, type ExecuteInput, type Execution, type WaitNotice } from '../routing/executor.ts';
import { renderFooter, servedModelName } from '../money/footer.ts';
import { reasonTerm } from '../shared/platform-terms.ts';
import { newEvidenceId } from '../shared/ids.ts';
import { explainFailure } from './job-failure.ts';
import { recordJob, type JobOrigin, type JobTrace } from './job-record.ts';
import type { OnRecorded } from './job-facts.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import { planRoute, type Plan, type RouteRequest } from '../routing/router.ts';
import type { SettingsService, WorkspaceSettings } from '../settings/settings.ts';
import type { ChatMessage, ModelRequest } from '../shared/types.ts';
import { sumUsage, totalCost } from '../money/usage-math.ts';

export type { JobOrigin } from './job-record.ts';

export interface AskInput {
  origin: JobOrigin;
  question: string;
  history?: ChatMessage[];
  route: RouteRequest;
  /** The user confirmed a job above the workspace's cost threshold (`--yes`). */
  confirmed?: boolean;
  onText?: (delta: string) => void;
  /** Told when the job waits long for a vendor's rate limit, e.g. "Waiting for OpenAI's rate limit, about 12 s". */
  onWait?: (notice: WaitNotice) => void;
  /** Told the lane and models once the job is planned, so a platform can show progress. */
  onPlan?: (plan: Plan) => void;
  /** Told the job's facts once its evidence record is written, answered or failed (the job's log line). */
  onRecorded?: OnRecorded;
}

/** A finished answer with its footer and the audit trail behind it. */
export interface Answer {
  text: string;
  footer: string;
  evidenceId: string;
  plan: Plan;
  calls: Execution['calls'];
  costUsd: number | undefined;
}

/** The one orchestrator commands call: keys → route → budget → vendor lanes → ledger → evidence → footer. */
export interface JobRunner {
  ask(input: AskInput): Promise<Answer>;
}

export interface JobRunnerOptions {
  keys: KeyService;
  settings: SettingsService;
  execute: (x: ExecuteInput) => Promise<Execution>;
  books: Books;
  evidence: EvidenceStore;
  maxOutputTokens: number;
  /** Token budget for thread context sent with a question. */
  historyBudgetTokens?: number;
  /** Known keys and tokens, kept out of questions (see `loadJobBasis`). */
  secrets?: SecretRegistry;
  now?: () => Date;
}

export const SYSTEM_PROMPT = 'You are Hive, an assistant answering in a team chat. Answer directly and concisely in Markdown.';

export function createJobRunner(o: JobRunnerOptions): JobRunner {
  const now = () => (o.now ? o.now() : new Date());
  return {
    async ask(input) {
      const at = now();
      const id = newEvidenceId(at.getTime());
      const p = await prepare(o, input, at, id);
      const started = performance.now();
      const trace: JobTrace = { id, origin: input.origin, plan: p.plan, request: p.request, at };
      let exec: Execution;
      try {
        exec = await o.execute({
          workspaceId: input.origin.workspaceId,
          candidates: p.plan.candidates,
          pinned: p.plan.pinned,
          request: p.request,
          keys: p.usable,
          gate: p.gate,
          ...(input.onText ? { onText: input.onText } : {}),
          ...(input.onWait ? { onWait: input.onWait } : {}),
        });
      } catch (e) {
        input.onRecorded?.(await recordJob(o.evidence, trace, e instanceof ExecutionFailed ? e.calls : [], null, e, p.gate));
        throw explainFailure(e, p.plan, p.usable, id);
      }
      input.onRecorded?.(await recordJob(o.evidence, trace, exec.calls, exec.result.text, undefined, p.gate));
      const usage = sumUsage(exec.calls);
      const costUsd = totalCost(exec.calls);
      const notes = [
        ...(exec.failures.length > 0 ? [`via ${exec.ref.vendor} (${exec.failures.join(', ')})`] : []),
        ...paidAttemptsNote(exec.calls),
        ...p.notes,
      ];
      const footer = renderFooter({
        models: [servedModelName(exec.ref.model, exec.calls.at(-1))],
        lane: p.plan.lane,
        laneReason: reasonTerm(p.plan.reason),
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costUsd,
        estimated: exec.calls.find((c) => c.estimated)?.estimated,
        latencyMs: performance.now() - started,
        evidenceId: id,
        notes,
      });
      return { text: exec.result.text, footer, evidenceId: id, plan: p.plan, calls: exec.calls, costUsd };
    },
  };
}

interface Prepared {
  request: ModelRequest;
  usable: Awaited<ReturnType<KeyService['usable']>>;
  plan: Plan;
  gate: JobSpendGate;
  /** Footer notes known before the call: budget step-down, trimmed context. */
  notes: string[];
}

/** Everything decided before a vendor is called: request, keys, lane, budget fit, confirmation. */
async function prepare(o: JobRunnerOptions, input: AskInput, at: Date, evidenceId: string): Promise<Prepared> {
  const deps = { ...o, system: SYSTEM_PROMPT };
  const { settings, request, dropped, usable, lanes, scopes } = await loadJobBasis(deps, input.origin, input.question, input.history, at);
  const workspaceLane = defaultLaneOf(settings, input.origin.channelId);
  const first = planRoute({ ...input.route, ...(workspaceLane ? { workspaceLane } : {}), text: input.question }, lanes, new Set(usable.keys()));
  const { plan, note } = await fitPlanToBudget(first, lanes, new Set(usable.keys()), o.books, scopes, request);
  requireConfirmation(plan, request, settings.confirmAboveUsd, input.confirmed === true);
  input.onPlan?.(plan);
  const notes = [note, trimmedContextNote(dropped)].filter((n): n is string => n !== undefined && n !== '');
  return { request, usable, plan, gate: createSpendGate(o.books, scopes, { ...input.origin, evidenceId, at }, { deferAnswered: true }), notes };
}

/** The channel's default lane, else the workspace's, else none (automatic). */
function defaultLaneOf(s: WorkspaceSettings, channelId: string): RouteRequest['workspaceLane'] {
  const channel = s.channelLanes?.[channelId];
  if (channel) return { lane: channel, scope: 'channel' };
  return s.defaultLane ? { lane: s.defaultLane, scope: 'workspace' } : undefined;
}

/** `2 attempts paid` when more than one call of the job was billed (a retry after a cut stream), else nothing. */
export function paidAttemptsNote(calls: readonly CallRecord[]): string[] {
  const paid = calls.filter((c) => c.usage !== undefined).length;
  return paid > 1 ? [`${paid} attempts paid`] : [];
}
