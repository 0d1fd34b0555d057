import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { retiredRefusal } from '../models/model-availability.ts';
import { createRetryBudget, MIN_ATTEMPT_MS } from './retry-budget.ts';
import type { ModelRef } from '../shared/types.ts';
import { estimateRequestTokens } from '../models/model-rules.ts';
import { planPass } from './vendor-order.ts';
import type { Demand } from '../pacing/pacer.ts';
import { callInputOf, takeSlot } from './executor-slot.ts';
import { createWaitNotices } from '../pacing/wait-notices.ts';
import { createScrubbedStream } from '../keys/scrubbed-stream.ts';
import { answeredFailures, fail, giveUp, type ExecutorDeps, type JobRun } from './executor-attempt.ts';
import { attempt } from './executor-attempt.ts';

export type { WaitNotice } from '../pacing/wait-notices.ts';
export type { ExecutorDeps } from './executor-attempt.ts';

export { ExecutionFailed, type ExecuteInput, type Execution } from './execution.ts';
import type { ExecuteInput, Execution } from './execution.ts';

/**
 * The router's one retry loop. Each attempt waits in the paces of all the job's usable vendors at
 * once and goes to the first with room (healthy ones first, the most headroom breaking ties), so
 * three keys work as three paces. A 429 pauses its pace and the job goes wherever room appears
 * next; a vendor-side failure is retried on the same vendor after a short backoff, within one
 * failure budget per job; a vendor that cannot serve the job is dropped from it.
 */
export function createExecutor(d: ExecutorDeps) {
  const p: BackoffPolicy = { ...DEFAULT_BACKOFF, ...d.backoff };
  return async function execute(x: ExecuteInput): Promise<Execution> {
    const own = d.secrets?.forWorkspace(x.workspaceId);
    const run: JobRun = {
      x,
      demand: demandOf(x),
      calls: [],
      failures: [],
      setbacks: new Map(),
      budget: createRetryBudget(d.clock.now(), x.rateDeadlineMs === undefined ? p : { ...p, rateDeadlineMs: x.rateDeadlineMs }),
      notices: createWaitNotices(d.clock, p.noticeAfterMs, x.onWait),
      tries: new Map(),
      ...(own ? { own, ...(x.onText ? { live: createScrubbedStream(own, x.onText) } : {}) } : {}),
    };
    const order = d.pacer.place();
    let pool = withoutRetired(x.candidates, run, d);
    let sticky: ModelRef | undefined;
    while (pool.length > 0 && run.budget.failureLeft(d.clock.now()) >= MIN_ATTEMPT_MS) {
      const choices = sticky ? [sticky] : choose(pool, x, run.demand, d);
      sticky = undefined;
      const slot = await takeSlot(choices, {
        x,
        order,
        demand: run.demand,
        budget: run.budget,
        notices: run.notices,
        pacer: d.pacer,
        clock: d.clock,
        catalogue: d.catalogue,
      });
      if (!slot.ok) {
        for (const ref of choices) fail(run, ref.vendor, slot.reason, slot.error);
        if (slot.fatal) break;
        pool = pool.filter((r) => !choices.includes(r));
        continue;
      }
      const r = await attempt(slot, pool.length > 1, run, d, p);
      if (r.ok) return { result: r.result, ref: slot.ref, calls: run.calls, failures: answeredFailures(run, slot.ref.vendor) };
      if (r.fatal) break;
      if (r.drop) pool = pool.filter((c) => c !== slot.ref);
      if (r.retryHere) sticky = slot.ref;
    }
    return giveUp(run);
  };
}

/** What the job asks of a pace: the most input any of its models is sent (its files included), and its output. */
function demandOf(x: ExecuteInput): Demand {
  if (!x.requestFor) return { inputTokens: estimateRequestTokens(x.request), outputTokens: x.request.maxTokens };
  const inputs = x.candidates.map((ref) => callInputOf(x, ref)).map((c) => estimateRequestTokens(c.request) + c.fileTokens);
  return { inputTokens: Math.max(estimateRequestTokens(x.request), ...inputs), outputTokens: x.request.maxTokens };
}

/** Retired models are refused before any request: the next vendor of the lane answers, or the job says which successor to use. */
function withoutRetired(candidates: readonly ModelRef[], run: JobRun, { catalogue, clock }: Pick<ExecutorDeps, 'catalogue' | 'clock'>): ModelRef[] {
  return candidates.filter((ref) => {
    const retired = retiredRefusal(catalogue, ref, new Date(clock.now()));
    if (retired) fail(run, ref.vendor, 'retired', retired);
    return !retired;
  });
}

/** The vendors to wait for: in headroom order, without those cooling down while others are not; a pinned job's next model only. */
function choose(pool: readonly ModelRef[], x: ExecuteInput, demand: Demand, d: ExecutorDeps): ModelRef[] {
  if (x.pinned) return pool.slice(0, 1); // the order was chosen: each model in turn
  const order = planPass(pool, { workspaceId: x.workspaceId, pinned: x.pinned, demand, pacer: d.pacer, cooldowns: d.cooldowns });
  const healthy = order.filter((r) => d.cooldowns.remaining(x.workspaceId, r.vendor) === 0);
  return healthy.length > 0 ? healthy : order.slice(0, 1);
}
