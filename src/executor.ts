import { backoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { Clock } from './clock.ts';
import type { Cooldowns } from './cooldown.ts';
import { HiveError, KEY_FATAL_KINDS, VendorError } from './errors.ts';
import type { CallRecord } from './evidence.ts';
import { vendorFailureWords } from './failure-words.ts';
import type { KeyService, UsableKey } from './keys.ts';
import { callModel } from './model-call.ts';
import type { ModelProvider, ModelRef, ModelRequest, ModelResult, Vendor } from './types.ts';
import { estimateRequestTokens } from './context-window.ts';
import { LaneBusyError, type Demand, type VendorLanes } from './vendor-lanes.ts';

/** Reserves money before a call and settles it after; the budget service implements it. */
export interface SpendGate {
  reserve(ref: ModelRef, req: ModelRequest): Promise<SpendHold>;
}

/** Money held for one call: settled with the call's record once made, released if it never is. */
export interface SpendHold {
  settle(call: CallRecord): Promise<void>;
  release(): Promise<void>;
}

export interface ExecuteInput {
  workspaceId: string;
  candidates: ModelRef[];
  pinned: boolean;
  request: ModelRequest;
  keys: ReadonlyMap<Vendor, UsableKey>;
  gate?: SpendGate;
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

/** A successful execution: the answer, which model gave it, and every call made on the way. */
export interface Execution {
  result: ModelResult;
  ref: ModelRef;
  calls: CallRecord[];
  /** Vendors that failed before the answer, e.g. `anthropic overloaded`. */
  failures: string[];
}

/** Every candidate failed; carries the calls (for cost and evidence) and the last error. */
export class ExecutionFailed extends HiveError {
  constructor(readonly calls: CallRecord[], readonly failures: string[], readonly last: HiveError) {
    super(last.code, last.message, { retryable: last.retryable, retryAfterMs: last.retryAfterMs, cause: last });
    this.name = 'ExecutionFailed';
  }
}

export interface ExecutorDeps {
  providers: Record<Vendor, ModelProvider>;
  lanes: VendorLanes;
  cooldowns: Cooldowns;
  keys: KeyService;
  clock: Clock;
  timeoutMs: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

/** The router's one retry loop: headroom-first vendor order, backoff, fallback and cooldown. */
export function createExecutor(d: ExecutorDeps) {
  const policy = d.backoff ?? DEFAULT_BACKOFF;
  return async function execute(x: ExecuteInput): Promise<Execution> {
    const demand: Demand = { inputTokens: estimateRequestTokens(x.request), outputTokens: x.request.maxTokens };
    const order = x.pinned ? x.candidates : orderByHeadroom(x, demand, d);
    const calls: CallRecord[] = [];
    const failures: string[] = [];
    let last: HiveError | undefined;
    for (const [i, ref] of order.entries()) {
      const more = i < order.length - 1;
      const r = await tryVendor(ref, x, demand, more, calls, d, policy);
      if (r.ok) return { result: r.result, ref, calls, failures };
      failures.push(`${ref.vendor} ${r.reason}`);
      last = r.error;
      if (r.fatal) break;
    }
    throw new ExecutionFailed(calls, failures, last ?? new HiveError('no_candidates', 'No model could be tried'));
  };
}

type VendorOutcome = { ok: true; result: ModelResult } | { ok: false; error: HiveError; reason: string; fatal: boolean };

async function tryVendor(ref: ModelRef, x: ExecuteInput, demand: Demand, more: boolean, calls: CallRecord[], d: ExecutorDeps, p: BackoffPolicy): Promise<VendorOutcome> {
  const key = x.keys.get(ref.vendor)!;
  for (let attempt = 0; attempt < p.attempts; attempt++) {
    if (more && d.cooldowns.remaining(x.workspaceId, ref.vendor) > 0) {
      return { ok: false, error: new HiveError('cooling_down', `${ref.vendor} is cooling down`), reason: 'cooling down', fatal: false };
    }
    const label = attempt === 0 ? (calls.length === 0 ? 'first' : `fallback after ${calls.at(-1)!.vendor}`) : `retry ${attempt}`;
    // Join the vendor lane before any await, so concurrent jobs see each other's place in it.
    const waiting = d.lanes.acquire(x.workspaceId, ref.vendor, demand, { ...(x.signal ? { signal: x.signal } : {}), ...(more ? { maxWaitMs: p.maxInlineWaitMs } : {}) });
    let hold;
    try {
      hold = await x.gate?.reserve(ref, x.request);
    } catch (e) {
      void waiting.then((t) => t.cancel(), () => undefined);
      if (e instanceof HiveError) return { ok: false, error: e, reason: 'over budget', fatal: true };
      throw e;
    }
    let ticket;
    try {
      ticket = await waiting;
    } catch (e) {
      await hold?.release();
      if (e instanceof LaneBusyError) return { ok: false, error: e, reason: 'busy', fatal: false };
      throw e;
    }
    const out = await callModel(d.providers[ref.vendor], ref, x.request, key.key, { timeoutMs: d.timeoutMs, stream: true, ...(x.onText ? { onText: x.onText } : {}), ...(x.signal ? { signal: x.signal } : {}) }, label);
    ticket.release(out.record.usage, out.ok ? out.result.rateLimit : undefined);
    await hold?.settle(out.record);
    calls.push(out.record);
    if (out.ok) {
      d.cooldowns.success(x.workspaceId, ref.vendor);
      return { ok: true, result: out.result };
    }
    const err = out.error;
    if (!(err instanceof VendorError)) return { ok: false, error: err, reason: 'failed', fatal: true };
    const verdict = await judge(err, attempt, more, x, d, p);
    if (verdict.stop) return { ok: false, error: err, reason: reasonOf(err), fatal: verdict.fatal };
    try {
      await d.clock.sleep(verdict.waitMs, x.signal);
    } catch (e) {
      if (x.signal?.aborted) return cancelled(ref);
      throw e;
    }
  }
  return { ok: false, error: new HiveError('retries_exhausted', `${ref.vendor} kept failing`), reason: 'kept failing', fatal: false };
}

/** The caller cancelled between calls (backoff, lane wait): fail like a cancelled call, so the calls so far are kept. */
function cancelled(ref: ModelRef): VendorOutcome {
  return { ok: false, error: new VendorError({ vendor: ref.vendor, kind: 'aborted', message: `${ref.vendor} call was cancelled by the caller` }), reason: 'cancelled', fatal: true };
}

/** Decides what a failure means: wait and retry here, move to the next vendor, or stop. */
async function judge(err: VendorError, attempt: number, more: boolean, x: ExecuteInput, d: ExecutorDeps, p: BackoffPolicy): Promise<{ stop: boolean; fatal: boolean; waitMs: number }> {
  if (err.kind === 'aborted') return { stop: true, fatal: true, waitMs: 0 };
  d.cooldowns.failure(x.workspaceId, err.vendor, err.kind);
  if (KEY_FATAL_KINDS.includes(err.kind)) {
    await d.keys.reportFailure(x.workspaceId, err.vendor, err);
    return { stop: true, fatal: false, waitMs: 0 };
  }
  if (!err.retryable) return { stop: true, fatal: false, waitMs: 0 };
  if (err.kind === 'rate_limit' && err.retryAfterMs) d.lanes.pause(x.workspaceId, err.vendor, err.retryAfterMs);
  const waitMs = backoffMs(attempt, err.retryAfterMs, p, d.random);
  const last = attempt >= p.attempts - 1;
  const tooLong = more && (waitMs > p.maxInlineWaitMs || err.kind === 'overloaded');
  return { stop: last || tooLong, fatal: false, waitMs };
}

function reasonOf(err: VendorError): string {
  return vendorFailureWords(err.kind);
}

function orderByHeadroom(x: ExecuteInput, demand: Demand, d: ExecutorDeps): ModelRef[] {
  const scored = x.candidates.map((ref, i) => {
    const cooling = d.cooldowns.remaining(x.workspaceId, ref.vendor);
    return { ref, i, cooling, wait: d.lanes.expectedWaitMs(x.workspaceId, ref.vendor, demand), room: d.lanes.headroom(x.workspaceId, ref.vendor, demand) };
  });
  scored.sort((a, b) => (a.cooling > 0 ? 1 : 0) - (b.cooling > 0 ? 1 : 0) || a.wait - b.wait || b.room - a.room || a.i - b.i);
  return scored.map((s) => s.ref);
}
