import type { BackoffPolicy } from './backoff.ts';
import { VendorError, HiveError } from '../shared/errors.ts';
import { vendorFailureWords } from './failure-words.ts';
import { judgeFailure } from './failure-verdict.ts';
import { callModel, type CallOutcome, scrubOutcome } from './model-call.ts';
import { MIN_ATTEMPT_MS, type RetryBudget } from './retry-budget.ts';
import type { ModelResult, ModelProvider, Vendor } from '../shared/provider-spec.ts';
import { beginCall, callInputOf, cancelled, type Slot } from './executor-slot.ts';
import type { Clock } from '../shared/clock.ts';
import type { Cooldowns } from './cooldown.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { PacerFullError, PacerTooSmallError, type Demand, type Pacer } from '../pacing/pacer.ts';
import type { WaitNotices } from '../pacing/wait-notices.ts';
import type { SecretRegistry, SecretScrubber } from '../shared/secrets.ts';
import type { ScrubbedStream } from '../keys/scrubbed-stream.ts';
import { ExecutionFailed, type ExecuteInput } from './execution.ts';

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
  const input = callInputOf(x, ref);
  const called = await callModel(d.catalogue, d.providers[ref.vendor], ref, input, x.keys.get(ref.vendor)!.key, opts, label, new Date(t0));
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

/** What the executor runs on: the vendors' providers, the price table, the pacer and cooldowns, the keys and the clock. */
export interface ExecutorDeps {
  providers: Record<Vendor, ModelProvider>;
  /** Prices every call and its worst case, and knows which models are retired. */
  catalogue: PriceCatalogue;
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
export interface JobRun {
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

/** Notes that the job gave up on `vendor`, and keeps the soonest "rate limit full" to tell the user. */
export function fail(run: JobRun, vendor: Vendor, reason: string, error: HiveError): void {
  const line = `${vendor} ${reason}`;
  if (!run.failures.includes(line)) {
    run.failures.push(line);
    if (!run.x.signal?.aborted) run.x.onFailover?.(vendor, reason);
  }
  run.last = error;
  if (error instanceof PacerFullError && (!run.full || error.waitMs < run.full.waitMs)) run.full = error;
}

/** The failures worth naming beside an answer: vendors given up on, and setbacks on vendors that did not answer. */
export function answeredFailures(run: JobRun, answered: Vendor): string[] {
  const out = [...run.failures];
  for (const [vendor, reason] of run.setbacks) if (vendor !== answered && !out.includes(`${vendor} ${reason}`)) out.push(`${vendor} ${reason}`);
  return out;
}

/** Throws the job's failure; a pace that was merely full says when to retry rather than why another could not. */
export function giveUp(run: JobRun): never {
  for (const [vendor, reason] of run.setbacks) if (!run.failures.includes(`${vendor} ${reason}`)) run.failures.push(`${vendor} ${reason}`);
  const paced = run.last instanceof PacerFullError || run.last instanceof PacerTooSmallError;
  throw new ExecutionFailed(run.calls, run.failures, (paced && run.full) || run.last || new HiveError('no_candidates', 'No model could be tried'));
}
