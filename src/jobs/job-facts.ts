import type { CallRecord } from '../evidence/evidence-store.ts';
import { sumUsage, totalCost } from '../money/usage-math.ts';
import type { Plan } from '../routing/router.ts';

/** What an operator needs to know of a recorded job: no question, answer or key, only its shape and cost. */
export interface JobFacts {
  evidenceId: string;
  lane: string;
  laneReason: string;
  /** Every model called as `vendor:model`, in call order, each once (the model billed when the vendor served another). */
  models: string[];
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD of every call; `null` when a called model has no price. */
  costUsd: number | null;
  /** Why part of the cost is estimated, when it is (a stopped stream). */
  estimated?: string;
  status: 'ok' | 'error';
}

/** Told the facts of each job record as it is written, so the job's one log line can carry them. */
export type OnRecorded = (facts: JobFacts) => void;

/** The facts of a job from what its evidence record holds. */
export function jobFacts(id: string, plan: Pick<Plan, 'lane' | 'reason'>, calls: readonly CallRecord[], failed: boolean): JobFacts {
  const usage = sumUsage(calls);
  const estimated = calls.find((c) => c.estimated)?.estimated;
  return {
    evidenceId: id,
    lane: plan.lane,
    laneReason: plan.reason,
    models: [...new Set(calls.map((c) => `${c.vendor}:${c.pricedAs ?? c.model}`))],
    calls: calls.length,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: totalCost(calls) ?? null,
    ...(estimated ? { estimated } : {}),
    status: failed ? 'error' : 'ok',
  };
}

/** How a job ended, for operators: answered, refused before any model answered, a model job failed, or Hive failed. */
export type JobOutcome = 'answered' | 'refused' | 'failed' | 'error' | 'undelivered';

/** Where a job came from and how it ended; no question, answer or key. */
export interface JobEnd {
  workspaceId: string;
  platform: string;
  command: string;
  channelId: string;
  /** The queued job, when a worker ran it. */
  jobId?: string;
  outcome: JobOutcome;
  /** The refusal's or failure's code, e.g. `budget_exceeded`, `vendor_failed`. */
  code?: string;
  errorId?: string;
  latencyMs: number;
  /** Time on the queue before a worker took it, when it was queued. */
  queuedMs?: number;
}

/** The message of every job's one info line, so operators can filter on it. */
export const JOB_LINE = 'job done';

/**
 * The fields of a job's one info line: where it came from, how it ended, and what its recorded
 * model jobs chose and cost (lane and why, models, tokens, cost, evidence id). Several records
 * (rare) are summed; the lane and evidence id are the last one's, every id is listed.
 */
export function jobLineFields(end: JobEnd, facts: readonly JobFacts[]): Record<string, unknown> {
  const last = facts.at(-1);
  if (!last) return { ...end };
  const cost = facts.some((f) => f.costUsd === null) ? null : round(facts.reduce((a, f) => a + (f.costUsd ?? 0), 0));
  return {
    ...end,
    lane: last.lane,
    laneReason: last.laneReason,
    models: [...new Set(facts.flatMap((f) => f.models))],
    calls: facts.reduce((a, f) => a + f.calls, 0),
    inputTokens: facts.reduce((a, f) => a + f.inputTokens, 0),
    outputTokens: facts.reduce((a, f) => a + f.outputTokens, 0),
    costUsd: cost,
    ...(facts.some((f) => f.estimated) ? { costEstimated: facts.find((f) => f.estimated)?.estimated } : {}),
    evidenceId: last.evidenceId,
    ...(facts.length > 1 ? { evidenceIds: facts.map((f) => f.evidenceId) } : {}),
  };
}

/** Nano-dollar precision: sums of float costs otherwise print as 0.30000000000000004. */
function round(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
