import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { Clock } from '../shared/clock.ts';
import type { Cooldowns } from './cooldown.ts';
import { HiveError, VendorError } from '../shared/errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { vendorFailureWords } from './failure-words.ts';
import type { KeyService } from '../keys/key-service.ts';
import { judgeFailure } from './failure-verdict.ts';
import { callModel } from './model-call.ts';
import { retiredRefusal } from '../models/model-retirement.ts';
import { createRetryBudget, MIN_ATTEMPT_MS, type RetryBudget } from './retry-budget.ts';
import type { ModelProvider, ModelRef, ModelResult, Vendor } from '../shared/types.ts';
import { estimateRequestTokens } from '../models/context-window.ts';
import { planPass } from './vendor-order.ts';
import { PacerFullError, PacerTooSmallError, type Demand, type Pacer } from '../pacing/pacer.ts';
import { beginCall, cancelled, takeSlot, type Slot } from './executor-slot.ts';
import { createWaitNotices, type WaitNotices } from '../pacing/wait-notices.ts';
import type { SecretRegistry, SecretScrubber } from '../shared/secrets.ts';
import { createScrubbedStream, type ScrubbedStream } from '../keys/scrubbed-stream.ts';
import { scrubOutcome } from './scrubbed-call.ts';

export type { WaitNotice } from '../pacing/wait-notices.ts';

export { ExecutionFailed, type ExecuteInput, type Execution } from './execution.ts';
import { ExecutionFailed, type ExecuteInput, type Execution } from './execution.ts';

export interface ExecutorDeps {
  providers: Record<Vendor, ModelProvider>;
  pacer: Pacer;
  cooldowns: Cooldowns;
  keys: KeyService;
  clock: Clock;
  timeoutMs: number;
  backoff?: Partial<BackoffPolicy>;
  random?: () => number;
  /** Known secrets: every answer, streamed text and vendor failure is masked for its workspace before anyone sees it. */
  secrets?: SecretRegistry;
}

/** What one job carries across vendors and attempts. */
interface JobRun {
  x: ExecuteInput;
  demand: Demand;
  calls: CallRecord[];
  /** Vendors the job gave up on, and why (`anthropic overloaded`). */
  failures: string[];
  /** Failures the job got past on the same vendor; named too if another vendor answers in the end. */
  setbacks: Map<Vendor, string>;
  budget: RetryBudget;
  notices: WaitNotices;
  tries: Map<Vendor, { sick: number; limited: number }>;
  /** The workspace's view of the secrets, and the job's streamed text passing through it. */
  own?: SecretScrubber;
  live?: ScrubbedStream;
  last?: HiveError;
  full?: PacerFullError;
}

/**
 * The router's one retry loop. Each attempt waits in the lanes of all the job's usable vendors at
 * once and goes to the first with room (healthy ones first, the most headroom breaking ties), so
 * three keys work as three lanes. A 429 pauses its lane and the job goes wherever room appears
 * next; a vendor-side failure is retried on the same vendor after a short backoff, within one
 * failure budget per job; a vendor that cannot serve the job is dropped from it.
 */
export function createExecutor(d: ExecutorDeps) {
  const p: BackoffPolicy = { ...DEFAULT_BACKOFF, ...d.backoff };
  return async function execute(x: ExecuteInput): Promise<Execution> {
    const own = d.secrets?.forWorkspace(x.workspaceId);
    const run: JobRun = {
      x,
      demand: { inputTokens: estimateRequestTokens(x.request), outputTokens: x.request.maxTokens },
      calls: [],
      failures: [],
      setbacks: new Map(),
      budget: createRetryBudget(d.clock.now(), x.rateDeadlineMs === undefined ? p : { ...p, rateDeadlineMs: x.rateDeadlineMs }),
      notices: createWaitNotices(d.clock, p.noticeAfterMs, x.onWait),
      tries: new Map(),
      ...(own ? { own, ...(x.onText ? { live: createScrubbedStream(own, x.onText) } : {}) } : {}),
    };
    const order = d.pacer.place();
    let pool = withoutRetired(x.candidates, run, d.clock);
    let sticky: ModelRef | undefined;
    while (pool.length > 0 && run.budget.failureLeft(d.clock.now()) >= MIN_ATTEMPT_MS) {
      const choices = sticky ? [sticky] : choose(pool, x, run.demand, d);
      sticky = undefined;
      const slot = await takeSlot(choices, { x, order, demand: run.demand, budget: run.budget, notices: run.notices, pacer: d.pacer, clock: d.clock });
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

/** Retired models are refused before any request: the next vendor of the lane answers, or the job says which successor to use. */
function withoutRetired(candidates: readonly ModelRef[], run: JobRun, clock: Clock): ModelRef[] {
  return candidates.filter((ref) => {
    const retired = retiredRefusal(ref, new Date(clock.now()));
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

function fail(run: JobRun, vendor: Vendor, reason: string, error: HiveError): void {
  const line = `${vendor} ${reason}`;
  if (!run.failures.includes(line)) run.failures.push(line);
  run.last = error;
  if (error instanceof PacerFullError && (!run.full || error.waitMs < run.full.waitMs)) run.full = error;
}

/** The failures worth naming beside an answer: vendors given up on, and setbacks on vendors that did not answer. */
function answeredFailures(run: JobRun, answered: Vendor): string[] {
  const out = [...run.failures];
  for (const [vendor, reason] of run.setbacks) if (vendor !== answered && !out.includes(`${vendor} ${reason}`)) out.push(`${vendor} ${reason}`);
  return out;
}

/** Throws the job's failure; a lane that was merely full says when to retry rather than why another could not. */
function giveUp(run: JobRun): never {
  for (const [vendor, reason] of run.setbacks) if (!run.failures.includes(`${vendor} ${reason}`)) run.failures.push(`${vendor} ${reason}`);
  const lane = run.last instanceof PacerFullError || run.last instanceof PacerTooSmallError;
  throw new ExecutionFailed(run.calls, run.failures, (lane && run.full) || run.last || new HiveError('no_candidates', 'No model could be tried'));
}

type Attempt = { ok: true; result: ModelResult } | { ok: false; fatal: boolean; drop: boolean; retryHere: boolean };

/** One call on a granted slot, and what its failure means for the job. */
async function attempt(slot: Extract<Slot, { ok: true }>, more: boolean, run: JobRun, d: ExecutorDeps, p: BackoffPolicy): Promise<Attempt> {
  const { x } = run;
  const { ref, ticket, hold } = slot;
  const tries = run.tries.get(ref.vendor) ?? { sick: 0, limited: 0 };
  run.tries.set(ref.vendor, tries);
  const n = tries.sick + tries.limited;
  const label = n > 0 ? `retry ${n}` : run.calls.length === 0 ? 'first' : `fallback after ${run.calls.at(-1)!.vendor}`;
  await beginCall(slot);
  // After a failure, a call may only use what is left of the job's failure budget.
  const t0 = d.clock.now();
  const timeoutMs = Math.min(d.timeoutMs, Math.max(MIN_ATTEMPT_MS, run.budget.failureLeft(t0)));
  const live = run.live;
  const onText = live ? (delta: string) => live.push(delta) : x.onText;
  const opts = { timeoutMs, stream: true, ...(onText ? { onText } : {}), ...(x.signal ? { signal: x.signal } : {}) };
  const called = await callModel(d.providers[ref.vendor], ref, x.request, x.keys.get(ref.vendor)!.key, opts, label, new Date(t0));
  // The answer is whole: what the stream still held goes out, masked. After a failure it waits for the next attempt's text.
  if (called.ok) live?.flush();
  const out = run.own ? scrubOutcome(called, run.own) : called;
  if (out.ok) ticket.release(out.record.usage, out.result.rateLimit);
  else ticket.fail(out.record.usage);
  await hold?.settle(out.record);
  run.calls.push(out.record);
  run.budget.called(d.clock.now() - t0);
  if (out.ok) {
    d.cooldowns.success(x.workspaceId, ref.vendor);
    return { ok: true, result: out.result };
  }
  const err = out.error;
  if (!(err instanceof VendorError)) {
    fail(run, ref.vendor, 'failed', err);
    return { ok: false, fatal: true, drop: true, retryHere: false };
  }
  const v = await judgeFailure(err, {
    workspaceId: x.workspaceId,
    more,
    sentAt: t0,
    lane: ref,
    budget: run.budget,
    tries,
    policy: p,
    pacer: d.pacer,
    cooldowns: d.cooldowns,
    keys: d.keys,
    clock: d.clock,
    random: d.random,
  });
  if (v.stop) {
    fail(run, ref.vendor, vendorFailureWords(err.kind), v.error ?? err);
    return { ok: false, fatal: v.fatal, drop: !v.again, retryHere: false };
  }
  run.setbacks.set(ref.vendor, vendorFailureWords(err.kind));
  run.last = err;
  // A 429 paused the lane: the next attempt waits there and in the others, and goes where room comes first.
  if (v.rate) return { ok: false, fatal: false, drop: false, retryHere: false };
  try {
    await d.clock.sleep(v.waitMs, x.signal);
  } catch (e) {
    if (!x.signal?.aborted) throw e;
    fail(run, ref.vendor, 'cancelled', cancelled(ref));
    return { ok: false, fatal: true, drop: true, retryHere: false };
  }
  return { ok: false, fatal: false, drop: false, retryHere: true };
}
