import type { AtomicOps } from './atomic.ts';
import { createSpendGate, scopesFor } from './budget.ts';
import { fitPlanToBudget, requireConfirmation } from './budget-fit.ts';
import { trimHistory } from './context-window.ts';
import type { EvidenceStore } from './evidence.ts';
import { ExecutionFailed, type ExecuteInput, type Execution } from './executor.ts';
import { renderFooter } from './footer.ts';
import { newEvidenceId } from './ids.ts';
import { explainFailure } from './job-failure.ts';
import { recordJob, type JobOrigin, type JobTrace } from './job-record.ts';
import type { KeyService } from './keys.ts';
import type { Ledger } from './ledger.ts';
import { planRoute, type Plan, type RouteRequest } from './router.ts';
import type { SettingsService } from './settings.ts';
import type { ChatMessage, ModelRequest } from './types.ts';
import { sumUsage, totalCost } from './usage-math.ts';

export type { JobOrigin } from './job-record.ts';

export interface AskInput {
  origin: JobOrigin;
  question: string;
  history?: ChatMessage[];
  route: RouteRequest;
  /** The user confirmed a job above the workspace's cost threshold (`--yes`). */
  confirmed?: boolean;
  onText?: (delta: string) => void;
  /** Told the lane and models once the job is planned, so a platform can show progress. */
  onPlan?: (plan: Plan) => void;
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
  atomic: AtomicOps;
  evidence: EvidenceStore;
  ledger: Ledger;
  maxOutputTokens: number;
  /** Token budget for thread context sent with a question. */
  historyBudgetTokens?: number;
  now?: () => Date;
}

export const SYSTEM_PROMPT = 'You are Hive, an assistant answering in a team chat. Answer directly and concisely in Markdown.';

export function createJobRunner(o: JobRunnerOptions): JobRunner {
  const now = () => (o.now ? o.now() : new Date());
  return {
    async ask(input) {
      const { origin } = input;
      const settings = await o.settings.get(origin.workspaceId);
      const { messages: history, dropped } = trimHistory(input.history ?? [], o.historyBudgetTokens ?? 8000);
      const request: ModelRequest = { model: '', system: SYSTEM_PROMPT, messages: [...history, { role: 'user', content: input.question }], maxTokens: o.maxOutputTokens };
      const usable = await o.keys.usable(origin.workspaceId);
      const lanes = await o.settings.lanes(origin.workspaceId);
      const channelLane = settings.channelLanes?.[origin.channelId];
      const workspaceLane = channelLane ? { lane: channelLane, scope: 'channel' as const } : settings.defaultLane ? { lane: settings.defaultLane, scope: 'workspace' as const } : undefined;
      const first = planRoute({ ...input.route, ...(workspaceLane ? { workspaceLane } : {}), text: input.question }, lanes, new Set(usable.keys()));
      const scopes = scopesFor(origin, settings.budgets, now());
      const { plan, note } = await fitPlanToBudget(first, lanes, new Set(usable.keys()), o.atomic, scopes, request);
      requireConfirmation(plan, request, settings.confirmAboveUsd, input.confirmed === true);
      input.onPlan?.(plan);
      const id = newEvidenceId(now().getTime());
      const started = performance.now();
      const trace: JobTrace = { id, origin, plan, request, at: now() };
      let exec: Execution;
      try {
        exec = await o.execute({ workspaceId: origin.workspaceId, candidates: plan.candidates, pinned: plan.pinned, request, keys: usable, gate: createSpendGate(o.atomic, scopes), ...(input.onText ? { onText: input.onText } : {}) });
      } catch (e) {
        const calls = e instanceof ExecutionFailed ? e.calls : [];
        await recordJob(o.ledger, o.evidence, trace, calls, null, e);
        throw explainFailure(e, plan, usable, id);
      }
      await recordJob(o.ledger, o.evidence, trace, exec.calls, exec.result.text, undefined);
      const usage = sumUsage(exec.calls);
      const costUsd = totalCost(exec.calls);
      const notes = [
        ...(exec.failures.length > 0 ? [`via ${exec.ref.vendor} (${exec.failures.join(', ')})`] : []),
        ...(note ? [note] : []),
        ...(dropped > 0 ? [`context trimmed (${dropped} earlier message${dropped === 1 ? '' : 's'})`] : []),
      ];
      const footer = renderFooter({ models: [exec.ref.model], lane: plan.lane, laneReason: plan.reason, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd, latencyMs: performance.now() - started, evidenceId: id, notes });
      return { text: exec.result.text, footer, evidenceId: id, plan, calls: exec.calls, costUsd };
    },
  };
}
