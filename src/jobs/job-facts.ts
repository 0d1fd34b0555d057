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
