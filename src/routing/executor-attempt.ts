import type { BackoffPolicy } from './backoff.ts';
import { VendorError } from '../shared/errors.ts';
import { vendorFailureWords } from './failure-words.ts';
import { judgeFailure } from './failure-verdict.ts';
import { callModel, type CallOutcome } from './model-call.ts';
import { MIN_ATTEMPT_MS } from './retry-budget.ts';
import type { ModelResult } from '../shared/provider-spec.ts';
import { beginCall, cancelled, type Slot } from './executor-slot.ts';
import { scrubOutcome } from './scrubbed-call.ts';
import { fail, type ExecutorDeps, type JobRun } from './executor-run.ts';

/** An answer, or what a failed call means for the job: stop, drop the vendor, or retry it at once. */
export type Attempt = { ok: true; result: ModelResult } | { ok: false; fatal: boolean; drop: boolean; retryHere: boolean };

type Granted = Extract<Slot, { ok: true }>;

/** One call on a granted slot, and what its failure means for the job. */
export async function attempt(slot: Granted, more: boolean, run: JobRun, d: ExecutorDeps, p: BackoffPolicy): Promise<Attempt> {
  const { ref } = slot;
  const tries = run.tries.get(ref.vendor) ?? { sick: 0, limited: 0 };
  run.tries.set(ref.vendor, tries);
  const n = tries.sick + tries.limited;
  const label = n > 0 ? `retry ${n}` : run.calls.length === 0 ? 'first' : `fallback after ${run.calls.at(-1)!.vendor}`;
  await beginCall(slot);
  const t0 = d.clock.now();
  const out = await call(slot, label, t0, run, d);
  if (out.ok) {
    d.cooldowns.success(run.x.workspaceId, ref.vendor);
    return { ok: true, result: out.result };
  }
  const err = out.error;
  if (!(err instanceof VendorError)) {
    fail(run, ref.vendor, 'failed', err);
    return { ok: false, fatal: true, drop: true, retryHere: false };
  }
  return afterFailure(err, { slot, more, t0, tries }, run, d, p);
}

/** Makes the call, masks it, and settles its slot, its money and the job's books. */
async function call(slot: Granted, label: string, t0: number, run: JobRun, d: ExecutorDeps): Promise<CallOutcome> {
  const { x } = run;
  const { ref, ticket, hold } = slot;
  // After a failure, a call may only use what is left of the job's failure budget.
  const timeoutMs = Math.min(d.timeoutMs, Math.max(MIN_ATTEMPT_MS, run.budget.failureLeft(t0)));
  const live = run.live;
  const onText = live ? (delta: string) => live.push(delta) : x.onText;
  const opts = { timeoutMs, stream: true, ...(onText ? { onText } : {}), ...(x.signal ? { signal: x.signal } : {}) };
  const called = await callModel(d.catalogue, d.providers[ref.vendor], ref, x.request, x.keys.get(ref.vendor)!.key, opts, label, new Date(t0));
  // The answer is whole: what the stream still held goes out, masked. After a failure it waits for the next attempt's text.
  if (called.ok) live?.flush();
  const out = run.own ? scrubOutcome(called, run.own) : called;
  if (out.ok) ticket.release(out.record.usage, out.result.rateLimit);
  else ticket.fail(out.record.usage);
  await hold?.settle(out.record);
  run.calls.push(out.record);
  run.budget.called(d.clock.now() - t0);
  return out;
}

/** A vendor's failure judged: give the vendor up, let the pace decide where the job goes, or back off and retry here. */
async function afterFailure(
  err: VendorError,
  a: { slot: Granted; more: boolean; t0: number; tries: { sick: number; limited: number } },
  run: JobRun,
  d: ExecutorDeps,
  p: BackoffPolicy,
): Promise<Attempt> {
  const { x } = run;
  const { ref } = a.slot;
  const context = { workspaceId: x.workspaceId, more: a.more, sentAt: a.t0, pace: ref, budget: run.budget, tries: a.tries, policy: p };
  const v = await judgeFailure(err, { ...context, pacer: d.pacer, cooldowns: d.cooldowns, keys: d.keys, clock: d.clock, random: d.random });
  if (v.stop) {
    fail(run, ref.vendor, vendorFailureWords(err.kind), v.error ?? err);
    return { ok: false, fatal: v.fatal, drop: !v.again, retryHere: false };
  }
  run.setbacks.set(ref.vendor, vendorFailureWords(err.kind));
  run.last = err;
  // A 429 paused the pace: the next attempt waits there and in the others, and goes where room comes first.
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
