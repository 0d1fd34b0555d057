import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { Clock } from '../clock.ts';
import type { Cooldowns } from './cooldown.ts';
import { HiveError, VendorError } from '../errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { vendorFailureWords } from './failure-words.ts';
import type { KeyService } from '../keys/key-service.ts';
import { judgeFailure } from './failure-verdict.ts';
import { callModel } from './model-call.ts';
import { retiredRefusal } from '../money/model-retirement.ts';
import { createRetryBudget, MIN_ATTEMPT_MS, type RetryBudget } from './retry-budget.ts';
import type { ModelProvider, ModelRef, ModelResult, Vendor } from '../types.ts';
import { estimateRequestTokens } from '../jobs/context-window.ts';
import { planPass } from './vendor-order.ts';
import { PacerBusyError, PacerFullError, PacerTooSmallError, type Demand, type PacerTicket, type Pacer } from './pacer.ts';
import { createWaitNotices, type WaitNotices } from './wait-notices.ts';

export type { WaitNotice } from './wait-notices.ts';

export { ExecutionFailed, type ExecuteInput, type Execution, type SpendGate, type SpendHold } from './execution.ts';
import { ExecutionFailed, type ExecuteInput, type Execution, type SpendHold } from './execution.ts';

export interface ExecutorDeps {
  providers: Record<Vendor, ModelProvider>;
  pacer: Pacer;
  cooldowns: Cooldowns;
  keys: KeyService;
  clock: Clock;
  timeoutMs: number;
  backoff?: Partial<BackoffPolicy>;
  random?: () => number;
}

/** What one job carries across vendors and passes. */
interface JobRun {
  x: ExecuteInput;
  demand: Demand;
  calls: CallRecord[];
  failures: string[];
  budget: RetryBudget;
  notices: WaitNotices;
  tries: Map<Vendor, { sick: number; limited: number }>;
}

/**
 * The router's one retry loop: headroom-first vendor order, backoff, fallback and cooldown. A
 * vendor that is only rate-limited stays in the running for later passes until the job's rate
 * deadline; other failures share one failure budget, so a job never retries for long.
 */
export function createExecutor(d: ExecutorDeps) {
  const p: BackoffPolicy = { ...DEFAULT_BACKOFF, ...d.backoff };
  return async function execute(x: ExecuteInput): Promise<Execution> {
    const demand: Demand = { inputTokens: estimateRequestTokens(x.request), outputTokens: x.request.maxTokens };
    const run: JobRun = {
      x,
      demand,
      calls: [],
      failures: [],
      budget: createRetryBudget(d.clock.now(), p),
      notices: createWaitNotices(d.clock, p.noticeAfterMs, x.onWait),
      tries: new Map(),
    };
    let pool = [...x.candidates];
    let last: HiveError | undefined;
    let full: PacerFullError | undefined;
    while (pool.length > 0) {
      const kept = new Set(pool);
      for (const [i, ref, more] of planPass(pool, {
        workspaceId: x.workspaceId,
        pinned: x.pinned,
        demand,
        pacer: d.pacer,
        cooldowns: d.cooldowns,
        maxInlineWaitMs: p.maxInlineWaitMs,
      }).map((r, i, all) => [i, r, i < all.length - 1] as const)) {
        if (i > 0 && run.budget.failureLeft(d.clock.now()) < MIN_ATTEMPT_MS) return giveUp(run, last, full);
        const r = await tryVendor(ref, more, run, d, p);
        if (r.ok) return { result: r.result, ref, calls: run.calls, failures: run.failures };
        if (!run.failures.includes(`${ref.vendor} ${r.reason}`)) run.failures.push(`${ref.vendor} ${r.reason}`);
        last = r.error;
        if (r.error instanceof PacerFullError && (!full || r.error.waitMs < full.waitMs)) full = r.error;
        if (r.fatal) return giveUp(run, last, full);
        if (!r.again) kept.delete(ref);
      }
      pool = pool.filter((c) => kept.has(c));
      if (pool.length > 0 && run.budget.failureLeft(d.clock.now()) < MIN_ATTEMPT_MS) break;
    }
    return giveUp(run, last, full);
  };
}

/** Throws the job's failure; a lane that was merely full says when to retry rather than why another could not. */
function giveUp(run: JobRun, last: HiveError | undefined, full: PacerFullError | undefined): never {
  const lane = last instanceof PacerFullError || last instanceof PacerTooSmallError;
  throw new ExecutionFailed(run.calls, run.failures, (lane && full) || last || new HiveError('no_candidates', 'No model could be tried'));
}

type VendorOutcome = { ok: true; result: ModelResult } | { ok: false; error: HiveError; reason: string; fatal: boolean; again: boolean };
type Slot = { ok: true; ticket: PacerTicket; hold: SpendHold | undefined } | { ok: false; outcome: VendorOutcome };

async function tryVendor(ref: ModelRef, more: boolean, run: JobRun, d: ExecutorDeps, p: BackoffPolicy): Promise<VendorOutcome> {
  const { x } = run;
  const tries = run.tries.get(ref.vendor) ?? { sick: 0, limited: 0 };
  run.tries.set(ref.vendor, tries);
  // A retired model is refused before any request: the next vendor of the lane answers, or the job says which successor to use.
  const retired = retiredRefusal(ref, new Date(d.clock.now()));
  if (retired) return { ok: false, error: retired, reason: 'retired', fatal: !more, again: false };
  for (;;) {
    if (more && d.cooldowns.remaining(x.workspaceId, ref.vendor) > 0) {
      return { ok: false, error: new HiveError('cooling_down', `${ref.vendor} is cooling down`), reason: 'cooling down', fatal: false, again: false };
    }
    const attempt = tries.sick + tries.limited;
    const label = attempt === 0 ? (run.calls.length === 0 ? 'first' : `fallback after ${run.calls.at(-1)!.vendor}`) : `retry ${attempt}`;
    const slot = await takeSlot(ref, more, run, d, p);
    if (!slot.ok) return slot.outcome;
    // After a failure, a call may only use what is left of the job's failure budget.
    const t0 = d.clock.now();
    const timeoutMs = Math.min(d.timeoutMs, Math.max(MIN_ATTEMPT_MS, run.budget.failureLeft(t0)));
    const out = await callModel(
      d.providers[ref.vendor],
      ref,
      x.request,
      x.keys.get(ref.vendor)!.key,
      { timeoutMs, stream: true, ...(x.onText ? { onText: x.onText } : {}), ...(x.signal ? { signal: x.signal } : {}) },
      label,
      new Date(t0),
    );
    slot.ticket.release(out.record.usage, out.ok ? out.result.rateLimit : undefined);
    await slot.hold?.settle(out.record);
    run.calls.push(out.record);
    run.budget.called(d.clock.now() - t0);
    if (out.ok) {
      d.cooldowns.success(x.workspaceId, ref.vendor);
      return { ok: true, result: out.result };
    }
    const err = out.error;
    if (!(err instanceof VendorError)) return { ok: false, error: err, reason: 'failed', fatal: true, again: false };
    const v = await judgeFailure(err, {
      workspaceId: x.workspaceId,
      more,
      budget: run.budget,
      tries,
      policy: p,
      pacer: d.pacer,
      cooldowns: d.cooldowns,
      keys: d.keys,
      clock: d.clock,
      random: d.random,
    });
    if (v.stop) return { ok: false, error: v.error ?? err, reason: reasonOf(err), fatal: v.fatal, again: v.again };
    if (v.rate) {
      run.budget.excuse(v.waitMs);
      run.notices.begin(ref.vendor, v.waitMs);
    }
    try {
      await d.clock.sleep(v.waitMs, x.signal);
    } catch (e) {
      if (x.signal?.aborted) return cancelled(ref);
      throw e;
    } finally {
      run.notices.end();
    }
  }
}

/**
 * Joins the vendor lane and reserves the call's cost. A lane that cannot serve the job in time
 * (busy past the inline wait, full past the deadline, or smaller than the job) is an outcome, not a throw.
 */
async function takeSlot(ref: ModelRef, more: boolean, run: JobRun, d: ExecutorDeps, p: BackoffPolicy): Promise<Slot> {
  const { x } = run;
  const t0 = d.clock.now();
  const expected = d.pacer.expectedWaitMs(x.workspaceId, ref.vendor, run.demand);
  const admitted = (!more || expected <= p.maxInlineWaitMs) && t0 + expected <= run.budget.rateDeadline();
  run.notices.begin(ref.vendor, admitted ? expected : 0);
  // Join the vendor lane before any await, so concurrent jobs see each other's place in it.
  const waiting = d.pacer.acquire(x.workspaceId, ref.vendor, run.demand, {
    deadline: run.budget.rateDeadline(),
    onEstimate: (ms) => run.notices.update(ms),
    ...(x.signal ? { signal: x.signal } : {}),
    ...(more ? { maxWaitMs: p.maxInlineWaitMs } : {}),
  });
  try {
    return await joinLane(ref, waiting, t0, run, d);
  } finally {
    run.notices.end();
  }
}

async function joinLane(ref: ModelRef, waiting: Promise<PacerTicket>, t0: number, run: JobRun, d: ExecutorDeps): Promise<Slot> {
  const { x } = run;
  let hold: SpendHold | undefined;
  try {
    hold = await x.gate?.reserve(ref, x.request);
  } catch (e) {
    void waiting.then(
      (t) => t.cancel(),
      () => undefined,
    );
    if (e instanceof HiveError) return { ok: false, outcome: { ok: false, error: e, reason: 'over budget', fatal: true, again: false } };
    throw e;
  }
  try {
    const ticket = await waiting;
    run.budget.excuse(d.clock.now() - t0);
    return { ok: true, ticket, hold };
  } catch (e) {
    await hold?.release();
    if (e instanceof PacerBusyError) return { ok: false, outcome: { ok: false, error: e, reason: 'busy', fatal: false, again: true } };
    if (e instanceof PacerFullError) return { ok: false, outcome: { ok: false, error: e, reason: 'rate limit full', fatal: false, again: false } };
    if (e instanceof PacerTooSmallError) return { ok: false, outcome: { ok: false, error: e, reason: 'limit too small', fatal: false, again: false } };
    if (x.signal?.aborted) return { ok: false, outcome: cancelled(ref) };
    throw e;
  }
}

/** The caller cancelled between calls (backoff, lane wait): fail like a cancelled call, so the calls so far are kept. */
function cancelled(ref: ModelRef): VendorOutcome {
  return {
    ok: false,
    error: new VendorError({ vendor: ref.vendor, kind: 'aborted', message: `${ref.vendor} call was cancelled by the caller` }),
    reason: 'cancelled',
    fatal: true,
    again: false,
  };
}

function reasonOf(err: VendorError): string {
  return vendorFailureWords(err.kind);
}
