import { HiveError, UserError, VendorError } from '../shared/errors.ts';
import { ExecutionFailed, type ExecuteInput, type Execution, type WaitNotice } from '../routing/executor.ts';
import type { SpendGate } from '../money/spend-gate.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { PacerFullError, PacerTooSmallError } from '../pacing/pacer-errors.ts';
import { stopWords, vendorFailureWords, type StopCause } from '../routing/failure-words.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ModelRequest, Vendor } from '../shared/provider-spec.ts';
import { sumUsage } from '../money/usage-math.ts';
import { createSpendTally } from './spend-tally.ts';
import type { RequestFor } from '../routing/job-files.ts';
import type { MemberOutcome } from './types.ts';

export type { StopCause } from '../routing/failure-words.ts';

/** What every member of one consensus shares. */
export interface MemberEnv {
  execute: (x: ExecuteInput) => Promise<Execution>;
  workspaceId: string;
  request: ModelRequest;
  /** The request as each member receives it (the same files, prepared for its vendor). */
  requestFor?: RequestFor;
  keys: ReadonlyMap<Vendor, UsableKey>;
  gate: SpendGate;
  timeoutMs: number;
  onWait?: (notice: WaitNotice) => void;
  /** Told when a member starts and how it ended, so a platform can show each call as a step. */
  onMember?: (m: MemberProgress) => void;
  /** The job's cancel: every member stops when it aborts. */
  signal?: AbortSignal;
}

/** One member's call as it stands. */
export interface MemberProgress {
  ref: ModelRef;
  status: 'in_progress' | 'complete' | 'error';
  details?: string;
}

/** A member in flight: stop it with a cause, await its outcome. */
export interface RunningMember {
  ref: ModelRef;
  stop(cause: StopCause): void;
  done: Promise<MemberOutcome>;
}

/**
 * Starts one member as its own pinned execution (no fallback to another vendor: the member *is*
 * that vendor) with its own abort signal and deadline; the outcome never rejects.
 */
export function startMember(ref: ModelRef, env: MemberEnv): RunningMember {
  const controller = new AbortController();
  let cause: StopCause | undefined;
  const stop = (c: StopCause) => {
    if (cause) return;
    cause = c;
    controller.abort(new HiveError('consensus_stop', `${ref.model} stopped: ${c.kind}`));
  };
  const timer = setTimeout(() => stop({ kind: 'timeout', afterMs: env.timeoutMs }), env.timeoutMs);
  const onCancel = () => stop({ kind: 'cancelled' });
  if (env.signal?.aborted) onCancel();
  else env.signal?.addEventListener('abort', onCancel, { once: true });
  const tally = createSpendTally(env.gate);
  const t0 = performance.now();
  const run = env.execute({
    workspaceId: env.workspaceId,
    candidates: [ref],
    pinned: true,
    request: env.request,
    ...(env.requestFor ? { requestFor: env.requestFor } : {}),
    keys: env.keys,
    gate: tally.gate,
    signal: controller.signal,
    ...(env.onWait ? { onWait: env.onWait } : {}),
  });
  const done = run.then(
    (exec): MemberOutcome => {
      const base = { ref, latencyMs: performance.now() - t0, costUsd: tally.costUsd(), usage: sumUsage(exec.calls), calls: exec.calls };
      const text = exec.result.text.trim();
      return text === '' ? { ...base, status: 'failed', reason: 'empty answer' } : { ...base, status: 'ok', text };
    },
    (e: unknown): MemberOutcome => {
      const calls = e instanceof ExecutionFailed ? e.calls : [];
      const base = { ref, latencyMs: performance.now() - t0, costUsd: tally.costUsd(), usage: sumUsage(calls), calls };
      const failedFirst = e instanceof ExecutionFailed && !(e.last instanceof VendorError && e.last.kind === 'aborted');
      if (!cause || failedFirst) return { ...base, status: 'failed', reason: describeFailure(e) };
      const waitingToRetry = lastFailure(calls);
      if (waitingToRetry)
        return { ...base, status: 'failed', reason: `${waitingToRetry}, ${attemptsText(calls.length)}; stopped retrying: ${stopWords(cause)}` };
      return { ...base, status: 'timed_out', reason: describeStop(cause, calls.length) };
    },
  );
  env.onMember?.({ ref, status: 'in_progress' });
  const settled = done.then((out) => {
    env.onMember?.(out.status === 'ok' ? { ref, status: 'complete' } : { ref, status: 'error', details: out.reason ?? out.status });
    return out;
  });
  void settled.finally(() => {
    clearTimeout(timer);
    env.signal?.removeEventListener('abort', onCancel);
  });
  return { ref, stop, done: settled };
}

/**
 * The vendor failure a stopped member was waiting to retry, if any: a member cut off between a
 * 503 and its retry failed (overloaded), it did not time out; one cut off mid-call has no answer yet.
 */
function lastFailure(calls: readonly CallRecord[]): string | undefined {
  const last = calls.at(-1);
  if (!last || last.outcome !== 'error' || last.error?.kind === 'aborted') return undefined;
  return vendorFailureWords(last.error?.kind);
}

function describeStop(c: StopCause, calls: number): string {
  const retried = calls > 1 ? `, after ${calls - 1} failed attempt${calls === 2 ? '' : 's'}` : '';
  return `${c.kind === 'quorum' ? 'cancelled: ' : ''}${stopWords(c)}${retried}`;
}

function attemptsText(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

/** Turns a member's failure into a short reason a user can act on; never a raw vendor message. */
export function describeFailure(e: unknown): string {
  const last = e instanceof ExecutionFailed ? e.last : e;
  const attempts = e instanceof ExecutionFailed && e.calls.length > 1 ? `, ${e.calls.length} attempts` : '';
  if (last instanceof VendorError) {
    const fix = last.kind === 'auth' || last.kind === 'quota' || last.kind === 'spend_limit' ? '; an admin can fix the key with `/hive keys`' : '';
    return `${vendorFailureWords(last.kind)}${last.status ? ` (HTTP ${last.status})` : ''}${attempts}${fix}`;
  }
  if (last instanceof PacerFullError || last instanceof PacerTooSmallError) return last.message;
  if (last instanceof UserError)
    return last.code === 'budget_exceeded' ? 'over budget' : last.code === 'budget_unpriced' ? 'no known price under a budget' : 'refused';
  if (last instanceof HiveError) return last.code === 'pace_busy' ? 'vendor pace busy' : last.code.replace(/_/g, ' ');
  return 'internal error';
}
